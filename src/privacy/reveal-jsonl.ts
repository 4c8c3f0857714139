/**
 * Reveal for JSON Lines outputs (`weekly --out week.jsonl`, `recommend --out recs.jsonl`): each
 * line is checked to be a JSON object with the id field (else it fails, naming the line) and its
 * bytes are copied with only the id's value replaced, so every other field keeps the text it was
 * written with (lines end with LF; blank lines are dropped). Lines are split, checked and copied
 * as bytes (`JsonLineScanner`): a line reader, JSON.parse and JSON.stringify of every row made a
 * JSON Lines reveal five times as slow as a CSV one. A line the scan gives up on (a key written
 * with escapes, deep nesting) is parsed and written back from its row (JSON.stringify: other
 * fields keep their values, not always their text).
 */
import { openByteSource } from '../data/byte-source.js';
import { IngestError } from '../data/errors.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import type { PieceSink } from '../util/streamed-file.js';
import { BytePieces } from '../util/byte-pieces.js';
import { gzipMember, isGzipName } from '../util/gzip-output.js';
import type { OnReadProgress } from '../data/read-progress.js';
import { JsonLineScanner, type ValueSpan } from './json-line-scan.js';
import type { RevealSummary } from './reveal.js';

type Lookup = (token: string) => string | undefined;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
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
  private readonly scanner: JsonLineScanner;
  private readonly span: ValueSpan = { start: -1, end: -1 };
  /** The last id value's bytes (copied), and what it maps to: outputs list a user's rows together. */
  private last = Buffer.alloc(64);
  private lastLength = -1;
  private lastFound: Buffer | undefined;

  constructor(
    private readonly input: string,
    private readonly column: string,
    private readonly raw: Lookup,
    private readonly summary: RevealSummary,
    private readonly pieces: BytePieces,
  ) {
    this.scanner = new JsonLineScanner(Buffer.from(column));
  }

  line(bytes: Buffer, n: number): void {
    if (this.scanner.scan(bytes, this.span)) this.scanned(bytes, n);
    else this.parsed(bytes, n);
  }

  /** A line the scan took: the id's value is at `span`, and only its bytes change. */
  private scanned(bytes: Buffer, n: number): void {
    const { start, end } = this.span;
    if (start < 0) throw this.noField(n);
    const found = this.lookUp(bytes, start, end);
    if (found === undefined) this.copy(bytes);
    else {
      this.copy(bytes, 0, start);
      this.copy(found);
      this.copy(bytes, end);
    }
    this.counted(found !== undefined);
  }

  /** The raw id's JSON string as bytes for the id value at [start, end), or undefined when it is not a known token. */
  private lookUp(bytes: Buffer, start: number, end: number): Buffer | undefined {
    const n = end - start;
    if (n === this.lastLength) {
      let i = 0;
      while (i < n && this.last[i] === bytes[start + i]) i++;
      if (i === n) return this.lastFound;
    }
    if (n > this.last.length) this.last = Buffer.alloc(2 * n);
    bytes.copy(this.last, 0, start, end);
    this.lastLength = n;
    const found = bytes[start] === QUOTE ? this.raw(this.stringAt(bytes, start, end)) : undefined;
    this.lastFound = found === undefined ? undefined : Buffer.from(JSON.stringify(found));
    return this.lastFound;
  }

  /** A line the scan gave up on: blank (dropped), not JSON (an error), or written from JSON.parse's row. */
  private parsed(bytes: Buffer, n: number): void {
    const text = bytes.toString('utf8');
    if (text.trim() === '') return;
    const row = this.parse(text, n);
    const id = row[this.column];
    const found = typeof id === 'string' ? this.raw(id) : undefined;
    if (found === undefined) this.copy(bytes);
    else {
      row[this.column] = found;
      this.copy(Buffer.from(JSON.stringify(row)));
    }
    this.counted(found !== undefined);
  }

  private counted(revealed: boolean): void {
    this.summary.rows++;
    if (revealed) this.summary.revealed++;
    else this.summary.unknown++;
    this.pieces.reserve(1);
    this.pieces.buf[this.pieces.pos++] = LF;
  }

  /** The string value at bytes [start, end), its quotes included. */
  private stringAt(bytes: Buffer, start: number, end: number): string {
    return this.scanner.valueEscaped ? (JSON.parse(bytes.toString('utf8', start, end)) as string) : bytes.toString('utf8', start + 1, end - 1);
  }

  private noField(n: number): IngestError {
    return new IngestError(`${this.input}:${n}: no field '${this.column}'`, this.input, n);
  }

  private parse(text: string, n: number): Record<string, unknown> {
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch (err) {
      throw new IngestError(`${this.input}:${n}: not a JSON object (${(err as Error).message})`, this.input, n);
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new IngestError(`${this.input}:${n}: not a JSON object`, this.input, n);
    if (!(this.column in rec)) throw this.noField(n);
    return rec as Record<string, unknown>;
  }

  private copy(src: Buffer, from = 0, end = src.length): void {
    this.pieces.reserve(end - from);
    this.pieces.pos += src.copy(this.pieces.buf, this.pieces.pos, from, end);
  }
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
