/**
 * Counts ingest: (user, item, weight) triplets from CSV/TSV, e.g. play counts. Duplicates are
 * kept (the caller aggregates); zero weights are dropped and counted; unusable rows fail unless
 * skipBad (then they are counted per rule).
 */
import type { DelimitedOptions } from './csv-reader.js';
import type { Dictionary } from './dictionary.js';
import { CountsSink } from './counts-sink.js';
import { COUNT_RULES, ReportBuilder, type IngestReport } from './ingest-report.js';
import { readCountsColumnar } from './read-counts-arrow.js';
import { countsResult } from './counts-result.js';
import { DEFAULT_MIN_RANGE_BYTES, readCsvPartSplit, readThreadsOf, type SplitPlan } from './csv-split-read.js';
import { eventFileFormat } from './read-events.js';
import { commonFormat, partFilesOf, readDelimitedParts } from './part-files.js';
import type { OnReadProgress } from './read-progress.js';

export interface ReadCountsOptions {
  userCol?: string;
  itemCol?: string;
  /**
   * Weight column; without it, a column named weight if there is one, else the file is read as
   * (user, item) pairs counting 1 a row (said on the read line, `columns.weight: null`).
   */
  weightCol?: string;
  /** Count and skip unusable rows (malformed, missing id, negative weight) instead of failing. */
  skipBad?: boolean;
  /** Empty or header-only files give empty counts instead of an error. */
  allowEmpty?: boolean;
  /** Applied to every raw user id before it enters the dictionary. */
  pseudonymize?: (rawUserId: string) => string;
  /** Longest accepted row in bytes (default 64 MiB). */
  maxLineBytes?: number;
  /** Field delimiter; detected from the header when absent. */
  delimiter?: DelimitedOptions['delimiter'];
  /** Called as the read advances (per chunk or record batch). */
  onProgress?: OnReadProgress;
  /**
   * Threads that read a large plain CSV/TSV file, each a byte range of it (default: the cores, up
   * to 8; 1 reads on the calling thread alone). The result is the same whatever the number.
   */
  readThreads?: number;
  /** The smallest byte range of a CSV/TSV file given a thread of its own (default 16 MiB). */
  minRangeBytes?: number;
}

export interface Counts {
  users: Dictionary;
  items: Dictionary;
  /** Per row: user index, item index, weight (> 0). */
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  report: IngestReport;
}

/**
 * Reads (user, item, weight) rows from a CSV/TSV file, or from Parquet or Arrow IPC (chosen by the
 * extension, like events); a directory is read as its part files (see part-files.ts).
 */
export async function readCounts(file: string, opts: ReadCountsOptions = {}): Promise<Counts> {
  const parts = (await partFilesOf(file)) ?? [file];
  const multi = parts[0] !== file || parts.length > 1;
  const format = multi ? commonFormat(file, parts, eventFileFormat) : eventFileFormat(file);
  if (format !== 'csv') return readCountsColumnar(file, format, opts, parts);
  const report = new ReportBuilder(file, 'csv', 'line', COUNT_RULES, false, opts.skipBad ?? false);
  const sink = new CountsSink(parts[0], opts, report);
  const delimited: DelimitedOptions = { allowEmpty: opts.allowEmpty ?? false };
  if (opts.maxLineBytes !== undefined) delimited.maxLineBytes = opts.maxLineBytes;
  if (opts.delimiter !== undefined) delimited.delimiter = opts.delimiter;
  const threads = readThreadsOf(opts.readThreads);
  const { pseudonymize: _p, onProgress: _o, ...plain } = opts;
  const plan: SplitPlan = {
    threads,
    minRangeBytes: opts.minRangeBytes ?? DEFAULT_MIN_RANGE_BYTES,
    task: (range, stopAt, slot, progress) => ({ kind: 'counts', file: sink.file, range, stopAt, slot, progress, opts: plain }),
  };
  await readDelimitedParts(file, parts, sink, report, delimited, opts.onProgress, (part, s, o) => readCsvPartSplit(part, s, o, plan));
  return countsResult(sink, report.finish());
}
