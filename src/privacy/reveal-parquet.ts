/**
 * Reveal for Parquet outputs (`weekly --out week.parquet`, other writers' tables): the id column
 * of each row group is mapped back and the table written again with its other columns as they
 * were (types, nulls and order kept). A group is read, revealed and handed to the writer before
 * the next is taken, so memory holds a row group or two, whatever the file's size. The id column
 * is rewritten as bytes (each raw id encoded once, a run of one token looked up once): building
 * it from JS strings spent most of the run encoding and collecting them.
 */
import { readFile } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { IngestError } from '../data/errors.js';
import { ParquetDecoder } from '../data/parquet-decoder.js';
import { encodePushedParquet } from '../model/columnar.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import { Utf8Pieces } from '../data/utf8-vector.js';
import type { OnReadProgress } from '../data/read-progress.js';
import type { RevealSummary } from './reveal.js';

type Lookup = (token: string) => string | undefined;

export async function revealParquet(input: string, out: string, column: string, raw: Lookup, onProgress?: OnReadProgress): Promise<RevealSummary> {
  const summary: RevealSummary = { rows: 0, revealed: 0, unknown: 0 };
  const revealer = new ColumnRevealer(raw, summary);
  await writeStreamedAtomic(out, async (sink) => {
    const rows = await encodePushedParquet(
      (push) =>
        ParquetDecoder.withFile(input, undefined, async (decoder) => {
          const fields = decoder.fields;
          if (!fields.includes(column)) throw new IngestError(`${input}: missing column '${column}' (columns: ${fields.join(', ')})`, input);
          await decoder.forEachGroup(fields, (table) => {
            const ids = table.getChild(column)!;
            if (!arrow.DataType.isUtf8(ids.type) && !arrow.DataType.isLargeUtf8(ids.type)) throw new IngestError(`${input}: column '${column}' has type ${ids.type}, expected strings (tokens)`, input);
            const revealed = new arrow.Vector(ids.data.map((d) => revealer.reveal(d)));
            summary.rows += table.numRows;
            onProgress?.({ done: summary.rows, total: decoder.rows, unit: 'rows' });
            return push(new arrow.Table(Object.fromEntries(table.schema.fields.map((f) => [f.name, f.name === column ? revealed : table.getChild(f.name)!]))));
          });
        }),
      sink,
    );
    // No row, no id: the output is the input (a footer; the writer learns a schema from rows).
    if (rows === 0) await sink(await readFile(input));
  });
  return summary;
}

/** Maps tokens to raw ids chunk by chunk, counting into the summary; a token not found stays. */
class ColumnRevealer {
  private readonly encoded = new Map<string, Uint8Array>();
  private readonly decoder = new TextDecoder('utf-8');
  private readonly encoder = new TextEncoder();

  constructor(private readonly raw: Lookup, private readonly summary: RevealSummary) {}

  reveal(d: arrow.Data<arrow.Utf8 | arrow.LargeUtf8>): arrow.Data<arrow.Utf8> {
    const n = d.length;
    const from = d.valueOffsets;
    const values = d.values;
    const column = new Utf8Pieces(n, Math.ceil(values.length / Math.max(1, n)));
    let runStart = -1;
    let runEnd = -1;
    let runBytes: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      if (!d.getValid(i)) {
        this.summary.unknown++;
        column.push(EMPTY_TOKEN);
        continue;
      }
      const s = Number(from[i]);
      const e = Number(from[i + 1]);
      // Outputs list a user's rows together: the token of the row before is the likely one.
      if (runBytes === null || !sameBytes(values, s, e, runStart, runEnd)) {
        runBytes = this.revealed(values.subarray(s, e));
        runStart = s;
        runEnd = e;
      }
      if (runBytes === EMPTY_TOKEN) this.summary.unknown++;
      else this.summary.revealed++;
      column.push(runBytes === EMPTY_TOKEN ? values.subarray(s, e) : runBytes);
    }
    const { offsets, bytes } = column.finish();
    const nullBitmap = d.nullCount > 0 ? validityOf(d) : undefined;
    return arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: d.nullCount, nullBitmap, valueOffsets: offsets, data: bytes });
  }

  /** The raw id's bytes of a token, or EMPTY_TOKEN when the token is not one of the given ids. */
  private revealed(token: Uint8Array): Uint8Array {
    const text = this.decoder.decode(token);
    const raw = this.raw(text);
    if (raw === undefined) return EMPTY_TOKEN;
    let b = this.encoded.get(raw);
    if (!b) this.encoded.set(raw, (b = this.encoder.encode(raw)));
    return b;
  }
}

/** Marks "not found, keep the token's own bytes". */
const EMPTY_TOKEN = new Uint8Array(0);

function sameBytes(b: Uint8Array, s: number, e: number, s2: number, e2: number): boolean {
  if (e - s !== e2 - s2) return false;
  for (let i = 0; i < e - s; i++) if (b[s + i] !== b[s2 + i]) return false;
  return true;
}

/** The chunk's validity bits from bit 0 (the chunk may start mid-byte of a sliced bitmap). */
function validityOf(d: arrow.Data): Uint8Array {
  const bits = new Uint8Array((d.length + 7) >> 3);
  for (let i = 0; i < d.length; i++) if (d.getValid(i)) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}
