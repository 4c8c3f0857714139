/** Events from CSV/TSV: byte-level rows from the streaming reader, checked and stored column-wise. */
import type { DelimitedOptions } from './csv-reader.js';
import { CsvEventSink } from './csv-event-sink.js';
import { DEFAULT_MIN_RANGE_BYTES, readCsvPartSplit, readThreadsOf, type SplitPlan } from './csv-split-read.js';
import { readDelimitedParts } from './part-files.js';
import { EventCollector } from './event-collector.js';
import { eventRuleOptions, type ReadEventsOptions } from './events-options.js';
import { EVENT_RULES, ReportBuilder, type IngestReport } from './ingest-report.js';
import type { EventLog } from '../types.js';

/**
 * How an event log's parts are split over threads. Strict reads stay on one (they fail at the
 * first violating row and search duplicates as rows come).
 */
function splitPlan(opts: ReadEventsOptions, sink: CsvEventSink): SplitPlan {
  const threads = readThreadsOf(opts.readThreads);
  const { pseudonymize: _p, onProgress: _o, ...plain } = opts;
  return {
    threads: opts.strict ? 1 : threads,
    minRangeBytes: opts.minRangeBytes ?? DEFAULT_MIN_RANGE_BYTES,
    task: (range, stopAt, slot, progress) => ({ kind: 'events', file: sink.file, range, stopAt, slot, progress, opts: plain, rules: sink.ruleOptions }),
  };
}

/** Reads a CSV/TSV event log. */
export async function readEventsCsv(file: string, opts: ReadEventsOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  return readEventsCsvParts(file, [file], opts);
}

/**
 * Reads the parts of a CSV/TSV event log (a directory of part files, as Spark writes one) into
 * one log: one set of dictionaries and one collector, rows located as `part:line`.
 */
export async function readEventsCsvParts(name: string, parts: readonly string[], opts: ReadEventsOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  const report = new ReportBuilder(name, 'csv', 'line', EVENT_RULES, opts.strict ?? false, opts.skipBad ?? false);
  const sink = new CsvEventSink(parts[0] ?? name, opts, report);
  const delimitedOpts: DelimitedOptions = { allowEmpty: opts.allowEmpty ?? false };
  if (opts.maxLineBytes !== undefined) delimitedOpts.maxLineBytes = opts.maxLineBytes;
  await readDelimitedParts(name, parts, sink, report, delimitedOpts, opts.onProgress, (part, s, o) => readCsvPartSplit(part, s, o, splitPlan(opts, sink)));
  // An empty file allowed by allowEmpty never reached header(): give it an empty log.
  sink.collector ??= new EventCollector(eventRuleOptions(opts), { duration: false, artist: false, context: false }, 16, false, opts.sharedColumns ?? false);
  await sink.collector.settle(report);
  const hasArtist = sink.collector.artist !== undefined;
  const hasContext = sink.collector.context !== undefined;
  const log = sink.collector.finish(sink.users, sink.tracks, hasArtist ? sink.artists : undefined, hasContext ? sink.contexts : undefined);
  return { log, report: report.finish() };
}
