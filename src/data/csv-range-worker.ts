/**
 * Thread of a split CSV/TSV event read (csv-split-read.ts): reads one byte range of the file
 * with a sink of its own, numbering its lines from 1, and sends back what it stored and counted
 * (the columns in shared memory) or its first failure, for the reading thread to take or raise
 * once it knows the range started where a row starts.
 */
import { CsvEventSink, type RangeEvents } from './csv-event-sink.js';
import { readDelimited, type DelimitedRange } from './csv-reader.js';
import { IngestError } from './errors.js';
import type { EventRuleOptions } from './event-collector.js';
import type { ReadEventsOptions } from './events-options.js';
import { EVENT_RULES, ReportBuilder } from './ingest-report.js';
import { errorMessage } from '../util/error-message.js';
import { injectFault } from '../util/test-fault.js';

/** The options of a read that can go to another thread (no functions). */
export type RangeReadOptions = Omit<ReadEventsOptions, 'pseudonymize' | 'onProgress'>;

export interface RangeTask {
  file: string;
  range: DelimitedRange;
  /** Where the next range starts (undefined for the last). */
  stopAt: number | undefined;
  opts: RangeReadOptions;
  rules: EventRuleOptions;
  /** Shared: slot `slot` gets the bytes of the range read so far. */
  progress: Float64Array;
  slot: number;
}

/** A range's first failure in the file's rows (an IngestError), its line the range's own. */
export interface RangeFailure {
  message: string;
  line: number | undefined;
  rule: string | undefined;
}

/** A range read, or its failure; any other error (the thread's own) rejects the task. */
export type RangeResult = { ok: true; endOffset: number; lines: number; rows: number; events: RangeEvents } | { ok: false; failure: RangeFailure };

export default async function readRange(task: RangeTask): Promise<RangeResult> {
  injectFault('read', { shard: task.slot, attempt: 0 }, `range ${task.slot + 2} of ${task.file}`);
  const { file, range, opts } = task;
  const report = new ReportBuilder(file, 'csv', 'line', EVENT_RULES, false, opts.skipBad ?? false);
  const sink = new CsvEventSink(file, { ...opts, strict: false, sharedColumns: true }, report, task.rules);
  try {
    const summary = await readDelimited(file, sink, {
      maxLineBytes: opts.maxLineBytes,
      range,
      stopAt: task.stopAt,
      onRead: (bytes) => {
        task.progress[task.slot] = bytes - range.start;
      },
    });
    return { ok: true, endOffset: summary.endOffset, lines: summary.lines, rows: summary.rows, events: sink.rangeEvents() };
  } catch (err) {
    if (!(err instanceof IngestError)) throw err;
    return { ok: false, failure: { message: errorMessage(err), line: err.line, rule: err.rule } };
  }
}
