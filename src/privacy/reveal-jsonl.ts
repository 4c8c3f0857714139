/**
 * Reveal for JSON Lines outputs (`weekly --out week.jsonl`, `recommend --out recs.jsonl`): each
 * line is parsed (a line that is not a JSON object with the id field fails, naming it), and its
 * bytes are copied with only the id's string replaced, so every other field keeps the text it was
 * written with (lines end with LF; blank lines are dropped). Lines are split and copied as bytes:
 * a line reader and a JSON.stringify of every row spent two thirds of the run. A line with a
 * backslash, or whose token is not found once in its text after the key, is written back from
 * its parsed value instead (JSON.stringify: other fields keep their values, not always their text).
 */
import { openByteSource } from '../data/byte-source.js';
import { IngestError } from '../data/errors.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import type { PieceSink } from '../util/streamed-file.js';
import { BytePieces } from '../util/byte-pieces.js';
import { gzipMember, isGzipName } from '../util/gzip-output.js';
import type { OnReadProgress } from '../data/read-progress.js';
import type { RevealSummary } from './reveal.js';

type Lookup = (token: string) => string | undefined;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const READ_BYTES = 1 << 20;

export async function revealJsonl(input: string, out: string, column: string, raw: Lookup, onProgress?: OnReadProgress): Promise<RevealSummary> {
  const summary: RevealSummary = { rows: 0, revealed: 0, unknown: 0 };
  const gzipOut = isGzipName(out);
  await writeStreamedAtomic(out, async (sink) => {
    const writer = new LineWriter(sink, gzipOut);
    const reveal = new LineRevealer(input, column, raw, summary, writer.pieces);
    let n = 0;
    for await (const line of byteLines(input, onProgress)) {
      n++;
      reveal.line(line, n);
      if (writer.pieces.hasFull) await writer.ship();
    }
    await writer.ship(true);
  });
  return summary;
}

/** One line at a time into the output's pieces, with the id's string replaced. */
class LineRevealer {
  private readonly key: Buffer;
  /** Raw ids' JSON strings as bytes, made once (outputs list a user's rows together). */
  private readonly rawJson = new Map<string, Buffer>();
  /** The last token found and its JSON string as bytes. */
  private lastToken = '';
  private lastQuoted = Buffer.alloc(0);

  constructor(
    private readonly input: string,
    private readonly column: string,
    private readonly raw: Lookup,
    private readonly summary: RevealSummary,
    private readonly pieces: BytePieces,
  ) {
    this.key = Buffer.from(JSON.stringify(column));
  }

  line(bytes: Buffer, n: number): void {
    const text = bytes.toString('utf8');
    if (text.trim() === '') return;
    const row = this.parse(text, n);
    this.summary.rows++;
    const id = row[this.column];
    const found = typeof id === 'string' ? this.raw(id) : undefined;
    if (found === undefined) {
      this.summary.unknown++;
      this.copy(bytes, 0, bytes.length);
    } else {
      this.summary.revealed++;
      const at = this.valueAt(bytes, id as string);
      if (at < 0) {
        row[this.column] = found;
        this.copy(Buffer.from(JSON.stringify(row)), 0, undefined);
      } else {
        this.copy(bytes, 0, at);
        this.copy(this.jsonOf(found), 0, undefined);
        this.copy(bytes, at + this.lastQuoted.length, bytes.length);
      }
    }
    this.pieces.reserve(1);
    this.pieces.buf[this.pieces.pos++] = LF;
  }

  private parse(text: string, n: number): Record<string, unknown> {
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch (err) {
      throw new IngestError(`${this.input}:${n}: not a JSON object (${(err as Error).message})`, this.input, n);
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new IngestError(`${this.input}:${n}: not a JSON object`, this.input, n);
    if (!(this.column in rec)) throw new IngestError(`${this.input}:${n}: no field '${this.column}'`, this.input, n);
    return rec as Record<string, unknown>;
  }

  /**
   * Where the id's string (its opening quote) is in the line, or -1. Only in a line without a
   * backslash, where every string is written as it reads, so the token's one quoted appearance
   * after the key and a colon (white space allowed) is the value JSON.parse gave: with escapes,
   * the field could be written in a way a byte search would mistake. The rest go by the parsed row.
   */
  private valueAt(bytes: Buffer, token: string): number {
    if (bytes.indexOf(BACKSLASH) >= 0) return -1;
    if (token !== this.lastToken) {
      this.lastToken = token;
      this.lastQuoted = Buffer.from(JSON.stringify(token));
    }
    const quoted = this.lastQuoted;
    const at = bytes.indexOf(quoted);
    if (at < 0 || bytes.indexOf(quoted, at + 1) >= 0) return -1;
    let p = at - 1;
    while (p >= 0 && isSpace(bytes[p])) p--;
    if (p < 0 || bytes[p] !== COLON) return -1;
    p--;
    while (p >= 0 && isSpace(bytes[p])) p--;
    const keyStart = p + 1 - this.key.length;
    return keyStart >= 0 && bytes.subarray(keyStart, p + 1).equals(this.key) ? at : -1;
  }

  private jsonOf(id: string): Buffer {
    let b = this.rawJson.get(id);
    if (!b) this.rawJson.set(id, (b = Buffer.from(JSON.stringify(id))));
    return b;
  }

  private copy(src: Buffer, from: number, to: number | undefined): void {
    const end = to ?? src.length;
    this.pieces.reserve(end - from);
    this.pieces.pos += src.copy(this.pieces.buf, this.pieces.pos, from, end);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === LF || c === CR;
}

/** The output's pieces handed to the file as they fill (each a gzip member for a `.gz` name). */
class LineWriter {
  readonly pieces = new BytePieces();

  constructor(
    private readonly sink: PieceSink,
    private readonly gzip: boolean,
  ) {}

  async ship(all = false): Promise<void> {
    for (const piece of this.pieces.take(all)) await this.sink(this.gzip ? await gzipMember(piece) : piece);
  }
}

/**
 * The file's lines as bytes without their line end (LF or CRLF), read as every text input is
 * (gzip decompressed; other compressions refused). A line is a view into a buffer read anew each
 * time, valid until the next one is taken.
 */
async function* byteLines(file: string, onProgress?: OnReadProgress): AsyncGenerator<Buffer> {
  const src = await openByteSource(file);
  try {
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const buf = Buffer.allocUnsafe(READ_BYTES);
      const n = await src.read(buf, 0, buf.length);
      onProgress?.({ done: src.fileBytesRead, total: src.fileBytes, unit: 'bytes' });
      if (n === 0) break;
      const chunk = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      let start = 0;
      for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, start)) {
        yield withoutCr(chunk.subarray(start, lf));
        start = lf + 1;
      }
      carry = chunk.subarray(start);
    }
    if (carry.length > 0) yield withoutCr(carry);
  } finally {
    await src.close();
  }
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}
