/**
 * Streaming reader of delimited text (CSV/TSV). The file is read in chunks into one reused buffer
 * and split into rows and fields on bytes; each row reaches the sink as byte ranges into that
 * buffer, so nothing is allocated per row or per field.
 *
 * - RFC 4180 quoting: quoted fields may hold the delimiter, newlines and doubled quotes (unescaped
 *   in place before the sink sees them). A quote inside an unquoted field is taken literally.
 * - Line ends: LF or CRLF. A UTF-8 byte-order mark is skipped. Blank lines are skipped.
 * - Delimiter: detected from the header line as the most frequent of tab, comma, `;` and `|`
 *   outside quotes (ties in that order), or given.
 * - Line numbers are 1-based physical lines of the file; a row is located by its first line.
 * - A row longer than `maxLineBytes` (default 64 MiB) is an error, not an out-of-memory.
 * - gzip-compressed files are decompressed as they are read (see byte-source.ts).
 * - A plain file can be read in byte ranges (`range`, `stopAt`, `headerOnly`): how several
 *   threads read one file (csv-split-read.ts).
 */
import { openByteSource } from './byte-source.js';
import { IngestError } from './errors.js';
import { checkInputFile } from './input-file.js';

export interface DelimitedOptions {
  /** Bytes per read (default 1 MiB). */
  chunkBytes?: number;
  /** Longest accepted row in bytes (default 64 MiB). */
  maxLineBytes?: number;
  /** An empty or header-only file is not an error. */
  allowEmpty?: boolean;
  /** Field delimiter; detected from the header line when absent. */
  delimiter?: ',' | '\t' | ';' | '|';
  /** Called after each chunk with the bytes of the file consumed so far (compressed for gzip). */
  onRead?: (fileBytes: number) => void;
  /** Return once the header is read: the summary's `endOffset` is where the data rows start. */
  headerOnly?: boolean;
  /** Read the rows of a plain file from a byte offset, without its header (see DelimitedRange). */
  range?: DelimitedRange;
  /** Stop before the first row that starts at or after this byte offset (plain files). */
  stopAt?: number;
}

/**
 * Rows of a plain file from byte `start` on, a row's first byte when the range was planned right
 * (the caller checks that against the rows before it). The header is not read: its names and
 * delimiter are given, and reach the sink's header() as a file's would.
 */
export interface DelimitedRange {
  start: number;
  /** The physical line number of the row at `start`. */
  line: number;
  names: string[];
  delimiter: string;
}

/** One row as byte ranges: field i is bytes[start[i], end[i]). Valid only during the callback. */
export interface DelimitedRow {
  bytes: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** Number of fields (equals the header's). */
  fields: number;
  /** Physical line the row starts on. */
  line: number;
}

export interface HeaderInfo {
  names: string[];
  delimiter: string;
  /** Rough number of data rows, from the file size and the rows of the first chunk, with a 5% margin. */
  estimatedRows: number;
}

export interface DelimitedSink {
  header(info: HeaderInfo): void;
  row(row: DelimitedRow): void;
  /**
   * Called before the buffer's bytes move (a row's ranges are then no longer valid) and when the
   * file ends: a sink that holds on to rows to process them in blocks finishes them here.
   */
  flush?(): void;
  /** A row that could not be split: bad quoting or a wrong number of fields. */
  malformed(line: number, message: string): void;
}

export interface DelimitedSummary {
  delimiter: string;
  /** Data rows seen, malformed ones included. */
  rows: number;
  /** Physical lines read (the last line number). */
  lines: number;
  /** Byte offset after the last row taken (plain files; for gzip, of the decompressed text). */
  endOffset: number;
  /** The header's names (none for an allowed empty file). */
  names: string[];
  compression: 'none' | 'gzip';
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const CANDIDATES = [9, 44, 59, 124]; // tab, comma, ';', '|' in tie-break order

const DEFAULT_CHUNK = 1 << 20;
/** The row estimate's margin over the rate of the rows sampled. */
const ESTIMATE_HEADROOM = 1.05;
const DEFAULT_MAX_LINE = 64 << 20;

const utf8 = new TextDecoder('utf-8');

/** Most frequent candidate delimiter outside quotes in bytes [s, e); comma when none occurs. */
function detectDelimiter(b: Uint8Array, s: number, e: number): number {
  const counts = [0, 0, 0, 0];
  let inQuotes = false;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes) {
      const k = CANDIDATES.indexOf(c);
      if (k >= 0) counts[k]++;
    }
  }
  let best = 1;
  for (let k = 0; k < 4; k++) if (counts[k] > counts[best] || (counts[k] === counts[best] && k < best && counts[k] > 0)) best = k;
  return CANDIDATES[best];
}

/** Splits rows out of a buffer; keeps the line count and the field ranges of the last row. */
class RowSplitter {
  start = new Int32Array(64);
  end = new Int32Array(64);
  escaped = new Uint8Array(64);
  fields = 0;
  /** First physical line of the last row. */
  rowLine = 0;
  /** Line the next row starts on. */
  line = 1;
  /** Message when the last row was malformed, else ''. */
  bad = '';

  constructor(public delim: number) {}

  private record(f: number, s: number, e: number, esc: number): void {
    if (f === this.start.length) {
      const n = f * 2;
      const st = new Int32Array(n);
      st.set(this.start);
      const en = new Int32Array(n);
      en.set(this.end);
      const es = new Uint8Array(n);
      es.set(this.escaped);
      this.start = st;
      this.end = en;
      this.escaped = es;
    }
    this.start[f] = s;
    this.end[f] = e;
    this.escaped[f] = esc;
  }

  /**
   * Parses the row at `pos`. Returns the position after it, or -1 when the row is not complete
   * in b[pos, end) and more data may come. `fields` is 0 for a blank line; `bad` is set for a
   * malformed row (the position then is after the rest of its line).
   */
  next(b: Uint8Array, pos: number, end: number, eof: boolean): number {
    const delim = this.delim;
    let p = pos;
    let newlines = 0;
    let f = 0;
    this.bad = '';
    // Blank line.
    if (b[p] === LF || (b[p] === CR && p + 1 < end && b[p + 1] === LF)) {
      this.fields = 0;
      this.rowLine = this.line++;
      return b[p] === LF ? p + 1 : p + 2;
    }
    if (b[p] === CR && p + 1 >= end && !eof) return -1;
    for (;;) {
      if (p < end && b[p] === QUOTE) {
        p++;
        const fs = p;
        let esc = 0;
        let fe = -1;
        while (p < end) {
          const c = b[p];
          if (c === QUOTE) {
            if (p + 1 >= end && !eof) return -1;
            if (p + 1 < end && b[p + 1] === QUOTE) {
              esc = 1;
              p += 2;
              continue;
            }
            fe = p;
            p++;
            break;
          }
          if (c === LF) newlines++;
          p++;
        }
        if (fe < 0) {
          if (!eof) return -1;
          this.fields = f + 1; // the open field counts, so the row is not taken for a blank line
          this.rowLine = this.line;
          this.line += newlines + 1;
          this.bad = 'unterminated quoted field';
          return end;
        }
        this.record(f++, fs, fe, esc);
        if (p >= end) {
          if (!eof) return -1;
          break;
        }
        const c = b[p];
        if (c === delim) {
          p++;
          continue;
        }
        if (c === LF) {
          p++;
          break;
        }
        if (c === CR) {
          if (p + 1 >= end && !eof) return -1;
          if (p + 1 >= end) {
            p++;
            break;
          }
          if (b[p + 1] === LF) {
            p += 2;
            break;
          }
        }
        // Garbage after a closing quote: skip to the end of the physical line.
        while (p < end && b[p] !== LF) p++;
        if (p >= end && !eof) return -1;
        this.fields = f;
        this.rowLine = this.line;
        this.line += newlines + 1;
        this.bad = `field ${f}: unexpected character after closing quote`;
        return p < end ? p + 1 : end;
      }
      const fs = p;
      while (p < end) {
        const c = b[p];
        if (c === delim || c === LF) break;
        p++;
      }
      if (p >= end && !eof) return -1;
      let fe = p;
      if (p >= end || b[p] === LF) {
        if (fe > fs && b[fe - 1] === CR) fe--;
        this.record(f++, fs, fe, 0);
        if (p < end) p++;
        break;
      }
      this.record(f++, fs, fe, 0);
      p++; // delimiter
      if (p >= end && eof) {
        this.record(f++, p, p, 0); // trailing delimiter at end of file: one more empty field
        break;
      }
    }
    this.fields = f;
    this.rowLine = this.line;
    this.line += newlines + 1;
    // Unescape doubled quotes in place now that the row is complete.
    for (let i = 0; i < f; i++) {
      if (this.escaped[i] === 0) continue;
      const s = this.start[i];
      const e = this.end[i];
      let w = s;
      for (let r = s; r < e; r++) {
        b[w++] = b[r];
        if (b[r] === QUOTE) r++;
      }
      this.end[i] = w;
    }
    return p;
  }
}

/** Reads a delimited file, calling the sink for the header and each data row. */
export async function readDelimited(
  file: string,
  sink: DelimitedSink,
  opts: DelimitedOptions = {},
): Promise<DelimitedSummary> {
  const chunk = opts.chunkBytes ?? DEFAULT_CHUNK;
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE;
  const range = opts.range;
  await checkInputFile(file);
  const src = await openByteSource(file, range?.start ?? 0);
  try {
    const size = src.fileBytes;
    let buf = Buffer.allocUnsafe(Math.max(64, src.compression === 'none' ? Math.min(chunk, size + 1) : chunk));
    let end = 0;
    let eof = false;
    let pos = 0;
    /** Text offset of buf[0]. */
    let consumed = range?.start ?? 0;

    /** Moves the unparsed tail to the front (growing the buffer if it is full) and reads more. */
    const refill = async (rowLine: number): Promise<void> => {
      if (pos > 0) {
        buf.copy(buf, 0, pos, end);
        end -= pos;
        consumed += pos;
        pos = 0;
      } else if (end === buf.length) {
        if (buf.length >= maxLine) {
          throw new IngestError(`${file}:${rowLine}: row longer than ${maxLine} bytes`, file, rowLine);
        }
        const grown = Buffer.allocUnsafe(Math.min(maxLine, buf.length * 2));
        buf.copy(grown, 0, 0, end);
        buf = grown;
      }
      while (end < buf.length && !eof) {
        const bytesRead = await src.read(buf, end, buf.length - end);
        if (bytesRead === 0) eof = true;
        end += bytesRead;
      }
      opts.onRead?.(src.fileBytesRead);
    };

    await refill(range?.line ?? 1);
    const splitter = new RowSplitter(44);

    /** The header's names (the first non-blank row, delimiter detected from its bytes); undefined for an allowed empty file. */
    async function readHeader(): Promise<string[] | undefined> {
      let delimiter = -1;
      for (;;) {
        if (pos >= end && eof) {
          if (opts.allowEmpty) return undefined;
          throw new IngestError(`${file}: empty`, file);
        }
        if (delimiter < 0) {
          let lf = buf.indexOf(LF, pos);
          while (lf < 0 && !eof) {
            await refill(splitter.line);
            lf = buf.indexOf(LF, pos);
            if (lf >= end) lf = -1;
          }
          if (lf >= end) lf = -1;
          delimiter = opts.delimiter ? opts.delimiter.charCodeAt(0) : detectDelimiter(buf, pos, lf < 0 ? end : lf);
          splitter.delim = delimiter;
        }
        const next = splitter.next(buf, pos, end, eof);
        if (next < 0) {
          await refill(splitter.line);
          continue;
        }
        const headerLine = splitter.rowLine;
        pos = next;
        if (splitter.fields === 0) {
          if (!opts.delimiter) delimiter = -1; // a leading blank line: detect from the real header
          continue;
        }
        if (splitter.bad) throw new IngestError(`${file}:${headerLine}: header: ${splitter.bad}`, file, headerLine);
        break;
      }
      const out: string[] = [];
      for (let i = 0; i < splitter.fields; i++) out.push(utf8.decode(buf.subarray(splitter.start[i], splitter.end[i])).trim());
      return out;
    }

    let names: string[];
    let delimiterText: string;
    if (range) {
      splitter.delim = range.delimiter.charCodeAt(0);
      splitter.line = range.line;
      names = range.names;
      delimiterText = range.delimiter;
    } else {
      if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      const header = await readHeader();
      if (!header) return { delimiter: opts.delimiter ?? ',', rows: 0, lines: splitter.line - 1, endOffset: consumed + pos, names: [], compression: src.compression };
      names = header;
      delimiterText = String.fromCharCode(splitter.delim);
    }

    // Estimate the row count from the complete rows buffered so far.
    let sampleRows = 0;
    let lastLf = -1;
    for (let i = buf.indexOf(LF, pos); i >= 0 && i < end; i = buf.indexOf(LF, i + 1)) {
      sampleRows++;
      lastLf = i;
    }
    const textBytes = range ? (opts.stopAt ?? size) - range.start : src.estimatedTextBytes(end);
    // A little over the sample's rate: sinks size their arrays by it, and one a few rows short of
    // the file doubles them at its end (half of all estimates fall short).
    const estimatedRows = sampleRows > 0 ? Math.ceil((ESTIMATE_HEADROOM * textBytes * sampleRows) / (lastLf + 1 - pos)) : 1;
    sink.header({ names, delimiter: delimiterText, estimatedRows });
    const summary = (rows: number): DelimitedSummary => ({ delimiter: delimiterText, rows, lines: splitter.line - 1, endOffset: consumed + pos, names, compression: src.compression });
    if (opts.headerOnly) return summary(0);

    const expected = names.length;
    const stopAt = opts.stopAt ?? Infinity;
    const row: DelimitedRow = { bytes: buf, start: splitter.start, end: splitter.end, fields: 0, line: 0 };
    let rows = 0;
    for (;;) {
      if (consumed + pos >= stopAt) break;
      if (pos >= end) {
        if (eof) break;
        sink.flush?.();
        await refill(splitter.line);
        continue;
      }
      const next = splitter.next(buf, pos, end, eof);
      if (next < 0) {
        sink.flush?.();
        await refill(splitter.line);
        continue;
      }
      pos = next;
      const f = splitter.fields;
      if (f === 0) continue;
      rows++;
      if (splitter.bad) {
        sink.malformed(splitter.rowLine, splitter.bad);
      } else if (f !== expected) {
        sink.malformed(splitter.rowLine, `expected ${expected} fields, found ${f}`);
      } else {
        row.bytes = buf;
        row.start = splitter.start;
        row.end = splitter.end;
        row.fields = f;
        row.line = splitter.rowLine;
        sink.row(row);
      }
    }
    sink.flush?.();
    if (rows === 0 && !opts.allowEmpty && !range) throw new IngestError(`${file}: no data rows`, file);
    return summary(rows);
  } finally {
    await src.close();
  }
}
