/**
 * Maps pseudonym tokens in an output file (recommendations, playlists) back to raw user ids. Only
 * a key holder can: the tokens of a list of raw ids are recomputed with the key, and each token
 * found in the id column is replaced by its raw id. Every other field keeps its value. CSV/TSV
 * (fields re-quoted only where needed; lines end with LF), JSON Lines and Parquet, as the input's
 * name says; the output is written atomically, in the input's format.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { readDelimited, type DelimitedRow, type HeaderInfo } from '../data/csv-reader.js';
import { IngestError } from '../data/errors.js';
import { tempSibling } from '../util/atomic.js';
import { outputFormatOfName } from '../util/file-format.js';
import { checkKey, pseudonymToken } from './pseudonym.js';
import { errorMessage } from '../util/error-message.js';
import { makeDirsSync } from '../util/make-dirs.js';
import { revealJsonl } from './reveal-jsonl.js';
import { gzipMemberSync, isGzipName } from '../util/gzip-output.js';
import { delimitedField } from '../util/csv-field.js';
import { revealParquet } from './reveal-parquet.js';

export interface RevealOptions {
  /** Delimited file whose id column holds tokens. */
  input: string;
  /** Where the revealed copy goes (replaced atomically). */
  out: string;
  /** The raw ids that may appear (e.g. every user id of the original log). */
  rawIds: Iterable<string>;
  key: Uint8Array;
  /** Column holding the tokens (default `user_id`). */
  column?: string;
}

export interface RevealSummary {
  rows: number;
  /** Rows whose token was mapped back to a raw id. */
  revealed: number;
  /** Rows whose id was not the token of any given raw id (left as they were). */
  unknown: number;
}

const utf8 = new TextDecoder('utf-8');


/** The format of a file by its name (a text format may end in .gz): Parquet, JSON Lines, or delimited text under any other name. */
function formatOf(file: string, flag: string): 'parquet' | 'jsonl' | 'delimited' {
  const { format } = outputFormatOfName(file, flag);
  return format === 'parquet' || format === 'jsonl' ? format : 'delimited';
}

export async function revealFile(o: RevealOptions): Promise<RevealSummary> {
  checkKey(o.key, 'reveal: key');
  const byToken = new Map<string, string>();
  for (const raw of o.rawIds) byToken.set(pseudonymToken(o.key, raw), raw);
  const column = o.column ?? 'user_id';
  const format = formatOf(o.input, 'reveal:');
  if (formatOf(o.out, '--out') !== format) throw new Error(`reveal: ${o.out} would not be in the format of ${o.input}; the copy keeps the input's format (give --out a name like it)`);
  if (format === 'parquet') return revealParquet(o.input, o.out, column, (t) => byToken.get(t));
  if (format === 'jsonl') return revealJsonl(o.input, o.out, column, (t) => byToken.get(t));
  const out = new SyncAtomicFile(o.out);
  const summary: RevealSummary = { rows: 0, revealed: 0, unknown: 0 };
  let col = -1;
  let delimiter = ',';
  try {
    await readDelimited(
      o.input,
      {
        header(info: HeaderInfo): void {
          delimiter = info.delimiter;
          col = info.names.indexOf(column);
          if (col < 0) throw new IngestError(`${o.input}: missing column '${column}' (columns: ${info.names.join(', ')})`, o.input);
          out.write(info.names.map((n) => delimitedField(n, delimiter)).join(delimiter) + '\n');
        },
        row(r: DelimitedRow): void {
          summary.rows++;
          let line = '';
          for (let f = 0; f < r.fields; f++) {
            let s = utf8.decode(r.bytes.subarray(r.start[f], r.end[f]));
            if (f === col) {
              const raw = byToken.get(s);
              if (raw === undefined) summary.unknown++;
              else {
                s = raw;
                summary.revealed++;
              }
            }
            line += (f > 0 ? delimiter : '') + delimitedField(s, delimiter);
          }
          out.write(line + '\n');
        },
        malformed(line: number, message: string): void {
          throw new IngestError(`${o.input}:${line}: ${message}`, o.input, line);
        },
      },
      { allowEmpty: true },
    );
    out.commit();
  } catch (err) {
    out.abort();
    throw err;
  }
  return summary;
}

/**
 * A file written through a temporary sibling and renamed into place on commit, with synchronous
 * buffered writes: the delimited reader's sink cannot await, and this keeps memory bounded.
 */
class SyncAtomicFile {
  private readonly tmp: string;
  private readonly gzip: boolean;
  private fd: number | undefined;
  private chunks: string[] = [];
  private size = 0;

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

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    if (this.gzip) writeSync(this.fd!, gzipMemberSync(text));
    else writeSync(this.fd!, text);
    this.chunks = [];
    this.size = 0;
  }

  commit(): void {
    this.flush();
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
