/**
 * A large plain CSV/TSV event log or counts file read on several threads, each a byte range, with
 * the result of a read on one thread: the same rows, dictionaries (ids in order of first
 * appearance), lines and report.
 *
 * The calling thread reads the header, then cuts the data into ranges at line ends near equal
 * shares of the bytes. Threads read ranges 2…n with sinks of their own (lines numbered from 1)
 * while the calling thread reads the first. A line end can sit inside a quoted field, so a cut is
 * only a guess at where a row starts; it is checked in file order: range k is taken when the rows
 * before it (read by the calling thread or taken from range k − 1) end exactly at its first byte,
 * and (event logs) when it read timestamps in the format the file's first valid one set (each
 * thread detects the format from its own first value). Then its ids join the dictionaries in its order of first
 * appearance, its lines are shifted past the lines before it, its counts join the report, and its
 * first failure (a malformed row without skip-bad, a row too long) is raised as it would have been,
 * at its line of the file. At the first range that fails the check, or whose thread failed (it
 * could not start, or ended), the calling thread reads the rest of the file itself from where the
 * rows before it ended. Duplicate events are searched for in the whole log afterwards
 * (EventCollector.settle), as in a read on one thread.
 *
 * Strict event reads (which fail at the first violating row and search duplicates as rows come)
 * and gzip files (which cannot be read from the middle) are read on one thread.
 */
import { open, stat } from 'node:fs/promises';
import { readDelimited, type DelimitedOptions, type DelimitedRange, type DelimitedSummary } from './csv-reader.js';
import type { RangeFailure, RangeResult, RangeTask } from './csv-range-worker.js';
import { IngestError, formatLocation } from './errors.js';
import type { ReportBuilder } from './ingest-report.js';
import type { PartSink } from './part-files.js';
import { createWorkerPool, defaultThreads } from '../util/worker-pool.js';
import { sharedArray } from '../util/shared-memory.js';

/** Default smallest share of a file worth a thread of its own. */
export const DEFAULT_MIN_RANGE_BYTES = 16 << 20;
/** Default threads of a split read at most (the calling thread included). */
export const MAX_READ_THREADS = 8;
/** Bytes searched for a line end after a cut; a cut without one in them is dropped. */
const CUT_SEARCH = 1 << 16;
/** How often the progress of the ranges' threads is passed on while the calling thread waits (ms). */
const PROGRESS_MS = 250;

/** The reading thread's sink of a split read, which takes the ranges' results in file order. */
export interface SplitSink<R> extends PartSink {
  readonly report: ReportBuilder;
  /** Takes a range's rows, ids and counts, its lines shifted by `base` (the lines before it in this part). */
  absorbRange(data: R, base: number): void;
  /** Whether a range's result continues the rows before it as a read on one thread would. */
  continues(data: R): boolean;
}

/** How a file is split: threads (the calling one included), the smallest range, and each range's task. */
export interface SplitPlan {
  threads: number;
  minRangeBytes: number;
  task: (range: DelimitedRange, stopAt: number | undefined, slot: number, progress: Float64Array) => RangeTask;
}

/**
 * Threads a read may use: `readThreads`, else the cores (up to MAX_READ_THREADS). Checked here,
 * so a bad value fails every read, split or not.
 */
export function readThreadsOf(readThreads: number | undefined): number {
  const t = readThreads ?? Math.min(MAX_READ_THREADS, defaultThreads());
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`readThreads must be an integer ≥ 1, got ${t}`);
  return t;
}

/**
 * Reads one part (a file) into the sink on up to `plan.threads` threads; a small or gzip file,
 * or one thread, is read by readDelimited as it is.
 */
export async function readCsvPartSplit<R>(part: string, sink: SplitSink<R>, opts: DelimitedOptions, plan: SplitPlan): Promise<DelimitedSummary> {
  const size = plan.threads > 1 ? await stat(part).then((st) => st.size, () => 0) : 0;
  if (plan.threads < 2 || size < 2 * plan.minRangeBytes) return readDelimited(part, sink, opts);
  const head = await readDelimited(part, sink, { ...opts, headerOnly: true });
  if (head.names.length === 0) return head;
  if (head.compression !== 'none') return readDelimited(part, sink, opts);
  const cuts = await planCuts(part, head.endOffset, size, Math.min(plan.threads, Math.floor((size - head.endOffset) / plan.minRangeBytes)));
  const summary = cuts.length === 0 ? await readDelimited(part, sink, { ...opts, range: rangeAt(head, head.endOffset, head.lines + 1) }) : await readRanges(part, sink, opts, plan, head, cuts);
  // A range read does not refuse a file without rows, as readDelimited does.
  if (summary.rows === 0 && !opts.allowEmpty) throw new IngestError(`${part}: no data rows`, part);
  return summary;
}

/** Reads the data of a part from its header's end in ranges starting at `cuts`, the first on this thread. */
async function readRanges<R>(part: string, sink: SplitSink<R>, opts: DelimitedOptions, plan: SplitPlan, head: DelimitedSummary, cuts: number[]): Promise<DelimitedSummary> {
  const at = (start: number, line: number): DelimitedRange => rangeAt(head, start, line);
  const progress = sharedArray(Float64Array, cuts.length);
  const pool = createWorkerPool(import.meta.url, 'csv-range-worker', cuts.length);
  let ownBytes = 0;
  const tellProgress = (): void => opts.onRead?.(ownBytes + progress.reduce((a, b) => a + b, 0));
  const timer = opts.onRead ? setInterval(tellProgress, PROGRESS_MS) : undefined;
  timer?.unref();
  try {
    const results = cuts.map((start, k) =>
      // A thread that fails (rather than its rows) leaves its range to this thread: undefined.
      (pool.run(plan.task(at(start, 1), cuts[k + 1], k, progress)) as Promise<RangeResult<R>>).catch((): undefined => undefined),
    );
    const first = await readDelimited(part, sink, {
      ...opts,
      range: at(head.endOffset, head.lines + 1),
      stopAt: cuts[0],
      onRead: (bytes) => {
        ownBytes = bytes;
        tellProgress();
      },
    });
    let { endOffset, lines, rows } = first;
    for (let k = 0; k < cuts.length; k++) {
      const r = await results[k];
      const taken = r !== undefined && endOffset === cuts[k] && (!r.ok || sink.continues(r.data));
      if (!taken) {
        // The cut was not where a row starts, the range read differently than this thread would have, or its thread failed: read on from where the rows before it ended.
        const rest = await readDelimited(part, sink, { ...opts, range: at(endOffset, lines + 1) });
        return { ...rest, rows: rows + rest.rows, names: head.names };
      }
      if (!r.ok) throw raised(sink, r.failure, part, lines);
      sink.absorbRange(r.data, lines);
      ({ endOffset } = r);
      lines += r.lines;
      rows += r.rows;
    }
    return { delimiter: head.delimiter, rows, lines, endOffset, names: head.names, compression: 'none' };
  } finally {
    if (timer) clearInterval(timer);
    await pool.destroy();
  }
}

/** The range of a part's rows from byte `start`, the first on line `line`. */
function rangeAt(head: DelimitedSummary, start: number, line: number): DelimitedRange {
  return { start, line, names: head.names, delimiter: head.delimiter };
}

/** A range's failure as the read on one thread would have raised it: at its line of the file. */
function raised(sink: SplitSink<unknown>, f: RangeFailure, part: string, base: number): IngestError {
  if (f.line === undefined) return new IngestError(f.message, part, undefined, f.rule);
  const local = `${formatLocation(part, 'line', f.line)}: `;
  const detail = f.message.startsWith(local) ? f.message.slice(local.length) : f.message;
  const n = sink.lineBase + base + f.line;
  const at = sink.report.locate(n);
  return new IngestError(`${formatLocation(at.file, 'line', at.n)}: ${detail}`, at.file, at.n, f.rule);
}

/**
 * Byte offsets where ranges 2…n start: just after the first line end at or after each of n − 1
 * equal cuts of [dataStart, size). Cuts that find no line end nearby, or the same one as the cut
 * before, are dropped.
 */
export async function planCuts(file: string, dataStart: number, size: number, n: number): Promise<number[]> {
  if (n < 2) return [];
  const cuts: number[] = [];
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CUT_SEARCH);
    for (let k = 1; k < n; k++) {
      const from = dataStart + Math.floor(((size - dataStart) * k) / n) - 1;
      const { bytesRead } = await fh.read(buf, 0, CUT_SEARCH, from);
      const lf = buf.subarray(0, bytesRead).indexOf(10);
      if (lf < 0) continue;
      const cut = from + lf + 1;
      if (cut < size && cut > (cuts.at(-1) ?? dataStart)) cuts.push(cut);
    }
  } finally {
    await fh.close();
  }
  return cuts;
}
