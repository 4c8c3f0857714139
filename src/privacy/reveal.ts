/**
 * Maps pseudonym tokens in an output file (recommendations, playlists) back to raw user ids. Only
 * a key holder can: the tokens of a list of raw ids are recomputed with the key, and each token
 * found in the id column is replaced by its raw id. Every other field keeps its value. CSV/TSV
 * (fields re-quoted only where needed; lines end with LF), JSON Lines and Parquet, as the input's
 * name says; the output is written atomically, in the input's format.
 */
import type { OnReadProgress } from '../data/read-progress.js';
import { outputFormatOfName } from '../util/file-format.js';
import { checkKey, pseudonymToken } from './pseudonym.js';
import { revealDelimited } from './reveal-delimited.js';
import { revealJsonl } from './reveal-jsonl.js';
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
  /** Called as the input is read: bytes of text (compressed bytes for gzip), rows of Parquet. */
  onProgress?: OnReadProgress;
}

export interface RevealSummary {
  rows: number;
  /** Rows whose token was mapped back to a raw id. */
  revealed: number;
  /** Rows whose id was not the token of any given raw id (left as they were). */
  unknown: number;
}

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
  const raw = (t: string): string | undefined => byToken.get(t);
  if (format === 'parquet') return revealParquet(o.input, o.out, column, raw, o.onProgress);
  if (format === 'jsonl') return revealJsonl(o.input, o.out, column, raw, o.onProgress);
  return revealDelimited(o.input, o.out, column, raw, o.onProgress);
}
