/**
 * Reveal for CSV/TSV outputs (`recommend`, `weekly --out week.csv`, gzip or not): each row's id
 * field is mapped back, every other field copied as the reader unquoted it and quoted again only
 * where it needs to be (lines end with LF). Rows are written as bytes: decoding every field to a
 * string and joining a line per row spent most of the run (1.9 M rows: 5 s of the command's 9).
 * A field's bytes are kept as they were, where decoding them replaced bytes that are not UTF-8.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readDelimited, type DelimitedRow, type HeaderInfo } from '../data/csv-reader.js';
import { decodeId } from '../data/byte-interner.js';
import { IngestError } from '../data/errors.js';
import { tempSibling } from '../util/atomic.js';
import { delimitedField } from '../util/csv-field.js';
import { errorMessage } from '../util/error-message.js';
import { gzipMemberSync, isGzipName } from '../util/gzip-output.js';
import { makeDirsSync } from '../util/make-dirs.js';
import { BytePieces } from '../util/byte-pieces.js';
import type { OnReadProgress } from '../data/read-progress.js';
import type { RevealSummary } from './reveal.js';

type Lookup = (token: string) => string | undefined;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export async function revealDelimited(input: string, out: string, column: string, raw: Lookup, onProgress?: OnReadProgress): Promise<RevealSummary> {
  const file = new SyncAtomicFile(out);
  // Unknown (0) when the input cannot be stat'ed: readDelimited names that input.
  const total = onProgress ? await stat(input).then((st) => st.size, () => 0) : 0;
  const summary: RevealSummary = { rows: 0, revealed: 0, unknown: 0 };
  let writer: RowWriter | undefined;
  let col = -1;
  try {
    await readDelimited(
      input,
      {
        header(info: HeaderInfo): void {
          col = info.names.indexOf(column);
          if (col < 0) throw new IngestError(`${input}: missing column '${column}' (columns: ${info.names.join(', ')})`, input);
          writer = new RowWriter(file, info.delimiter.charCodeAt(0), new TokenPieces(raw, info.delimiter));
          writer.text(info.names.map((n) => delimitedField(n, info.delimiter)).join(info.delimiter) + '\n');
        },
        row(r: DelimitedRow): void {
          summary.rows++;
          if (writer!.row(r, col)) summary.revealed++;
          else summary.unknown++;
        },
        malformed(line: number, message: string): void {
          throw new IngestError(`${input}:${line}: ${message}`, input, line);
        },
      },
      { allowEmpty: true, ...(onProgress ? { onRead: (bytes: number) => onProgress({ done: bytes, total, unit: 'bytes' }) } : {}) },
    );
    writer?.ship(true);
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
  return summary;
}

/** The id field's output bytes for a token: the raw id's, or the token's own when it is not one of the ids. */
class TokenPieces {
  /** The token of the row before, copied (the reader's bytes move), and its piece: outputs list a user's rows together. */
  private last = new Uint8Array(64);
  private lastLength = -1;
  private lastPiece: Uint8Array = new Uint8Array(0);
  private lastKnown = false;
  /** A raw id's piece, made once. */
  private readonly pieces = new Map<string, Uint8Array>();

  constructor(
    private readonly raw: Lookup,
    private readonly delimiter: string,
  ) {}

  /** Sets `piece` and `known` for the token in bytes [s, e). */
  lookUp(b: Uint8Array, s: number, e: number): void {
    const n = e - s;
    if (n === this.lastLength) {
      let i = 0;
      while (i < n && this.last[i] === b[s + i]) i++;
      if (i === n) return;
    }
    if (n > this.last.length) this.last = new Uint8Array(2 * n);
    this.last.set(b.subarray(s, e));
    this.lastLength = n;
    const token = decodeId(b, s, e);
    const found = token === undefined ? undefined : this.raw(token);
    this.lastKnown = found !== undefined;
    if (found === undefined) this.lastPiece = quotedField(b.subarray(s, e), this.delimiter.charCodeAt(0));
    else {
      let piece = this.pieces.get(found);
      if (!piece) this.pieces.set(found, (piece = Buffer.from(delimitedField(found, this.delimiter))));
      this.lastPiece = piece;
    }
  }

  get piece(): Uint8Array {
    return this.lastPiece;
  }

  get known(): boolean {
    return this.lastKnown;
  }
}

/** A field's bytes as they go out: quoted (quotes doubled) when they hold the delimiter, a quote or a line break. */
function quotedField(f: Uint8Array, delimiter: number): Uint8Array {
  if (!needsQuotes(f, 0, f.length, delimiter)) return f.slice();
  const out = new Uint8Array(2 * f.length + 2);
  const end = writeQuoted(out, 0, f, 0, f.length);
  return out.subarray(0, end);
}

function needsQuotes(b: Uint8Array, s: number, e: number, delimiter: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c === delimiter || c === QUOTE || c === LF || c === CR) return true;
  }
  return false;
}

/** Writes bytes [s, e) of `b` quoted into `out` at `p`; returns the end. */
function writeQuoted(out: Uint8Array, p: number, b: Uint8Array, s: number, e: number): number {
  out[p++] = QUOTE;
  for (let i = s; i < e; i++) {
    if (b[i] === QUOTE) out[p++] = QUOTE;
    out[p++] = b[i];
  }
  out[p++] = QUOTE;
  return p;
}

/** Rows appended as bytes to pieces of about a MiB, each handed to the file when full. */
class RowWriter {
  private readonly pieces = new BytePieces();

  constructor(
    private readonly file: SyncAtomicFile,
    private readonly delimiter: number,
    private readonly tokens: TokenPieces,
  ) {}

  /** Writes the row with its id field revealed; true when the token was one of the ids. */
  row(r: DelimitedRow, col: number): boolean {
    const { bytes, start, end } = r;
    let need = 1;
    for (let f = 0; f < r.fields; f++) need += 2 * (end[f] - start[f]) + 3;
    this.tokens.lookUp(bytes, start[col], end[col]);
    const id = this.tokens.piece;
    const pieces = this.pieces;
    pieces.reserve(need + id.length);
    const out = pieces.buf;
    let p = pieces.pos;
    for (let f = 0; f < r.fields; f++) {
      if (f > 0) out[p++] = this.delimiter;
      if (f === col) {
        for (let k = 0; k < id.length; k++) out[p++] = id[k];
        continue;
      }
      const s = start[f];
      const e = end[f];
      if (needsQuotes(bytes, s, e, this.delimiter)) p = writeQuoted(out, p, bytes, s, e);
      else for (let i = s; i < e; i++) out[p++] = bytes[i];
    }
    out[p++] = LF;
    pieces.pos = p;
    if (pieces.hasFull) this.ship();
    return this.tokens.known;
  }

  /** Appends text (the header line). */
  text(t: string): void {
    const bytes = Buffer.from(t);
    this.pieces.reserve(bytes.length);
    this.pieces.pos += bytes.copy(this.pieces.buf, this.pieces.pos);
  }

  /** Hands the filled pieces (with `all`, every row so far) to the file. */
  ship(all = false): void {
    for (const piece of this.pieces.take(all)) this.file.write(piece);
  }
}

/**
 * A file written through a temporary sibling and renamed into place on commit, with synchronous
 * writes: the delimited reader's sink cannot await, and its pieces keep memory bounded.
 */
class SyncAtomicFile {
  private readonly tmp: string;
  private readonly gzip: boolean;
  private fd: number | undefined;

  constructor(readonly target: string) {
    this.tmp = tempSibling(target);
    this.gzip = isGzipName(target);
    try {
      makeDirsSync(path.dirname(target));
      this.fd = openSync(this.tmp, 'wx');
    } catch (err) {
      throw new Error(`cannot write ${target}: ${errorMessage(err)}`);
    }
  }

  write(bytes: Uint8Array): void {
    const b = this.gzip ? gzipMemberSync(bytes) : bytes;
    for (let at = 0; at < b.length; ) at += writeSync(this.fd!, b, at, b.length - at);
  }

  commit(): void {
    fsyncSync(this.fd!);
    closeSync(this.fd!);
    this.fd = undefined;
    renameSync(this.tmp, this.target);
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }
}
