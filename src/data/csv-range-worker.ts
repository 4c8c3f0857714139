/**
 * Thread of a split CSV/TSV read (csv-split-read.ts): reads one byte range of an event log or a
 * counts file with a sink of its own, numbering its lines from 1, and sends back what it stored
 * and counted or its first failure, for the reading thread to take or raise once it knows the
 * range started where a row starts. Event columns come back in shared memory, counts moved.
 */
import { CsvEventSink } from './csv-event-sink.js';
import { CountsSink } from './counts-sink.js';
import { readDelimited, type DelimitedRange } from './csv-reader.js';
import { IngestError } from './errors.js';
import type { EventRuleOptions } from './event-collector.js';
import type { ReadEventsOptions } from './events-options.js';
import { COUNT_RULES, EVENT_RULES, ReportBuilder } from './ingest-report.js';
import type { ReadCountsOptions } from './read-counts.js';
import { errorMessage } from '../util/error-message.js';
import { movedResult } from '../util/move-result.js';
import { injectFault } from '../util/test-fault.js';

/** The options of an event read that can go to another thread (no functions). */
export type RangeReadOptions = Omit<ReadEventsOptions, 'pseudonymize' | 'onProgress'>;
/** The options of a counts read that can go to another thread (no functions). */
export type CountsRangeOptions = Omit<ReadCountsOptions, 'pseudonymize' | 'onProgress'>;

export type RangeTask = {
  file: string;
  range: DelimitedRange;
  /** Where the next range starts (undefined for the last). */
  stopAt: number | undefined;
  /** Shared: slot `slot` gets the bytes of the range read so far. */
  progress: Float64Array;
  slot: number;
} & ({ kind: 'events'; opts: RangeReadOptions; rules: EventRuleOptions } | { kind: 'counts'; opts: CountsRangeOptions });

/** A range's first failure in the file's rows (an IngestError), its line the range's own. */
export interface RangeFailure {
  message: string;
  line: number | undefined;
  rule: string | undefined;
}

/** A range read, or its failure; any other error (the thread's own) rejects the task. */
export type RangeResult<R> = { ok: true; endOffset: number; lines: number; rows: number; data: R } | { ok: false; failure: RangeFailure };

export default async function readRange(task: RangeTask): Promise<unknown> {
  injectFault('read', { shard: task.slot, attempt: 0 }, `range ${task.slot + 2} of ${task.file}`);
  const { file, range } = task;
  const skipBad = task.opts.skipBad ?? false;
  const sink =
    task.kind === 'events'
      ? new CsvEventSink(file, { ...task.opts, strict: false, sharedColumns: true }, new ReportBuilder(file, 'csv', 'line', EVENT_RULES, false, skipBad), task.rules)
      : new CountsSink(file, task.opts, new ReportBuilder(file, 'csv', 'line', COUNT_RULES, false, skipBad));
  try {
    const summary = await readDelimited(file, sink, {
      maxLineBytes: task.opts.maxLineBytes,
      range,
      stopAt: task.stopAt,
      onRead: (bytes) => {
        task.progress[task.slot] = bytes - range.start;
      },
    });
    const taken = { endOffset: summary.endOffset, lines: summary.lines, rows: summary.rows };
    if (sink instanceof CsvEventSink) return { ok: true, ...taken, data: sink.rangeEvents() };
    const counts = sink.rangeRows();
    return movedResult({ ok: true, ...taken, data: counts }, [counts.user, counts.item, counts.weight]);
  } catch (err) {
    if (!(err instanceof IngestError)) throw err;
    return { ok: false, failure: { message: errorMessage(err), line: err.line, rule: err.rule } } satisfies RangeResult<never>;
  }
}
