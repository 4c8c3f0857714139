/**
 * The format a file's name says, one rule for every command that reads or writes by name: the
 * extension under an optional `.gz` (gzip-compressed text). Each command decides what to do with
 * a name that says no format (recommend writes CSV, weekly refuses it, reveal reads delimited text).
 */
import path from 'node:path';
import { isGzipName } from './gzip-output.js';

export type NamedFormat = 'parquet' | 'jsonl' | 'csv' | 'tsv';

export interface FormatOfName {
  /** undefined when the extension names none of the formats. */
  format: NamedFormat | undefined;
  gzip: boolean;
  /** The extension under `.gz`, lower case with its dot ('' for none). */
  ext: string;
}

const BY_EXTENSION: Record<string, NamedFormat> = {
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
};

export function formatOfName(file: string): FormatOfName {
  const gzip = isGzipName(file);
  const ext = path.extname(gzip ? file.slice(0, -3) : file).toLowerCase();
  return { format: BY_EXTENSION[ext], gzip, ext };
}

/** As formatOfName, for an output: a `.parquet.gz` name is refused (Parquet compresses its own pages). */
export function outputFormatOfName(file: string, flag = '--out'): FormatOfName {
  const named = formatOfName(file);
  if (named.format === 'parquet' && named.gzip) throw new Error(`${flag} ${file}: Parquet compresses its own pages; name it ${named.ext}`);
  return named;
}
