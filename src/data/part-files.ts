/**
 * A directory given as an input is read as the parts of one table, as Spark, DuckDB and Hive
 * write them (`part-00000-….snappy.parquet`, …): every file below it in name order, without the
 * writers' markers and hidden files (`_SUCCESS`, `.part-….crc`).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readDelimited, type DelimitedOptions, type DelimitedSink, type DelimitedSummary } from './csv-reader.js';
import { IngestError } from './errors.js';
import type { ReportBuilder } from './ingest-report.js';
import type { OnReadProgress } from './read-progress.js';
import type * as arrow from 'apache-arrow';
import { parquetRowsOf, readBatches, type ColumnarFormat } from './columnar-batches.js';
import { ParquetDecoder } from './parquet-decoder.js';

/** The part files of `input` when it is a directory; undefined when it is not one. */
export async function partFilesOf(input: string): Promise<string[] | undefined> {
  let isDir = false;
  try {
    isDir = (await stat(input)).isDirectory();
  } catch {
    return undefined; // the reader names a missing input
  }
  if (!isDir) return undefined;
  const entries = await readdir(input, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath ?? e.path, e.name);
    // Markers and hidden files, also in hidden or marked subdirectories (`_temporary/`).
    if (path.relative(input, full).split(path.sep).some((seg) => seg.startsWith('_') || seg.startsWith('.'))) continue;
    files.push(full);
  }
  files.sort();
  if (files.length === 0) throw new IngestError(`${input}: a directory without part files`, input);
  return files;
}

/** The one format of a directory's parts (by their names), or an error naming two that differ. */
export function commonFormat<F extends string>(input: string, parts: readonly string[], formatOf: (file: string) => F): F {
  const first = formatOf(parts[0]);
  const other = parts.find((p) => formatOf(p) !== first);
  if (other !== undefined) throw new IngestError(`${input}: part files of different formats (${path.basename(parts[0])}, ${path.basename(other)})`, input);
  return first;
}

/** A delimited-text sink that moves on from part to part, numbering lines across them. */
export interface PartSink extends DelimitedSink {
  /** The part being read, for its messages. */
  file: string;
  /** Lines of the parts before: a part's line n is reported as lineBase + n. */
  lineBase: number;
  /** The whole input's size over the first part's: scales the first part's row estimate, so the
   * sink sizes its arrays once for all parts instead of doubling them part after part. */
  capacityScale: number;
}

/** Reads one part into the sink: readDelimited, or a reader that splits the part over threads. */
export type ReadPart<S extends PartSink> = (part: string, sink: S, opts: DelimitedOptions) => Promise<DelimitedSummary>;

/**
 * Reads the parts of a delimited-text input into one sink, each part's numbers shifted past the
 * ones before so the report can name the part and its own line. A single file is its own part.
 */
export async function readDelimitedParts<S extends PartSink>(
  name: string,
  parts: readonly string[],
  sink: S,
  report: ReportBuilder,
  opts: DelimitedOptions,
  onProgress?: OnReadProgress,
  readPart: ReadPart<S> = readDelimited,
): Promise<void> {
  const multi = parts.length > 1 || parts[0] !== name;
  // A part with a header only is fine; the whole input without any row is not.
  const each: DelimitedOptions = { ...opts, allowEmpty: (opts.allowEmpty ?? false) || multi };
  // A part that cannot be stat'ed counts 0 here: readDelimited's own input check names it below.
  const sizes = await Promise.all(parts.map((p) => stat(p).then((st) => st.size, () => 0)));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (multi) sink.capacityScale = total / Math.max(1, sizes[0]);
  let before = 0;
  for (const [i, part] of parts.entries()) {
    sink.file = part;
    if (multi) report.beginPart(part, sink.lineBase);
    if (onProgress) each.onRead = (bytes) => onProgress({ done: before + bytes, total, unit: 'bytes' });
    const summary = await readPart(part, sink, each);
    before += sizes[i];
    report.delimiter ??= summary.delimiter;
    sink.lineBase += summary.lines;
  }
  if (multi && report.rowsRead === 0 && !opts.allowEmpty) throw new IngestError(`${name}: no data rows in ${parts.length} part files`, name);
}

/** A record-batch sink that moves on from part to part, numbering rows across them. */
export interface BatchPartSink {
  /** The part being read, for its messages. */
  file: string;
  /** Rows of all batches so far, of every part. */
  readonly rowsDone: number;
  /** The columns to read (the projection), named as in the first part. */
  readonly columnNames: string[];
  /** One batch; the next comes once a returned promise settles. */
  addBatch(batch: arrow.RecordBatch): void | Promise<void>;
}

/**
 * Reads the parts of a Parquet or Arrow input into one sink, made by `open` from the first part's
 * columns (with a row hint: the Parquet footers' total, so it is sized once); later parts must
 * have its columns. Returns the sink (undefined without any part) and the rows read.
 */
export async function readBatchParts<S extends BatchPartSink>(
  name: string,
  parts: readonly string[],
  format: ColumnarFormat,
  report: ReportBuilder,
  open: (part: string, names: readonly string[], rowsHint: number) => S,
  opts: { allowEmpty?: boolean; onProgress?: OnReadProgress },
): Promise<S | undefined> {
  const multi = parts.length > 1 || parts[0] !== name;
  const total = format === 'parquet' && (multi || opts.onProgress) ? await parquetRowsOf(parts) : undefined;
  let sink: S | undefined;
  let rows = 0;
  // One decoding thread for all Parquet parts: starting one costs more than a small part's decode.
  const decoder = format === 'parquet' && multi ? ParquetDecoder.start() : undefined;
  try {
    for (const part of parts) {
      if (multi) report.beginPart(part, sink?.rowsDone ?? 0);
      const consumer = {
        columns: (names: string[], n: number | undefined): string[] => {
          if (!sink) return (sink = open(part, names, total ?? n ?? 1024)).columnNames;
          sink.file = part;
          const missing = sink.columnNames.filter((c) => !names.includes(c));
          if (missing.length > 0) throw new IngestError(`${part}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')} of the first part (columns: ${names.join(', ')})`, part);
          return sink.columnNames;
        },
        batch: async (b: arrow.RecordBatch): Promise<void> => {
          await sink!.addBatch(b);
          opts.onProgress?.({ done: sink!.rowsDone, total, unit: 'rows' });
        },
      };
      rows += await readBatches(part, format, consumer, decoder);
    }
  } finally {
    await decoder?.close();
  }
  if (rows === 0 && !opts.allowEmpty) throw new IngestError(`${name}: no data rows${multi ? ` in ${parts.length} part files` : ''}`, name);
  return sink;
}
