/**
 * Events given as JS objects (a service's fresh feedback, messages from a queue) into the same
 * columnar EventLog and ingest report as a file: the same validation rules, kind names, aliases,
 * pseudonyms and duplicate handling, with rows located as `records:row N` (1-based).
 */
import { Dictionary } from './dictionary.js';
import { EventCollector, describeRule } from './event-collector.js';
import { KindNames, OTHER, PLAY, UNKNOWN_KIND } from './event-kind.js';
import { eventRuleOptions, type ReadEventsOptions } from './events-options.js';
import { EVENT_RULES, ReportBuilder, type IngestReport } from './ingest-report.js';
import { parseIsoBytes } from './timestamps.js';
import type { EventLog } from '../types.js';

/** One listening event. */
export interface EventRecord {
  userId: string;
  trackId: string;
  /** Epoch milliseconds, a Date or an ISO-8601 string (UTC without a zone). */
  timestamp: number | Date | string;
  /** Kind name (`play`, `skip`, `like`, …, or an alias); default `play`. */
  event?: string;
  msPlayed?: number | null;
  durationMs?: number | null;
  artistId?: string | null;
  context?: string | null;
}

/** The reading options that apply to records (no file, no columns). */
export type ReadRecordsOptions = Pick<
  ReadEventsOptions,
  'asOf' | 'strict' | 'skipBad' | 'maxAgeMs' | 'minEpochMs' | 'durationToleranceMs' | 'pseudonymize' | 'eventAliases' | 'sharedColumns'
> & {
  /** Name of the source in the report and in messages (default `records`). */
  source?: string;
};

const isoScratch = new Uint8Array(64);
const encoder = new TextEncoder();

/** Epoch ms of a record's timestamp, NaN when it is not one. */
function timestampMs(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string' || v.length > isoScratch.length) return Number.NaN;
  // The files' ISO parser, so a record and a CSV row with the same text get the same time.
  const { written } = encoder.encodeInto(v, isoScratch);
  return parseIsoBytes(isoScratch, 0, written);
}

/** A number field: NaN when absent, undefined when present but not a finite number. */
function optionalNumber(v: unknown): number | undefined {
  if (v === undefined || v === null) return Number.NaN;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const optionalId = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function readEventRecords(records: Iterable<EventRecord> | AsyncIterable<EventRecord>, opts: ReadRecordsOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  const source = opts.source ?? 'records';
  const report = new ReportBuilder(source, 'records', 'row', EVENT_RULES, opts.strict ?? false, opts.skipBad ?? false);
  const rules = eventRuleOptions(opts);
  const kinds = new KindNames(opts.eventAliases);
  const users = new Dictionary();
  const tracks = new Dictionary();
  const artists = new Dictionary();
  const contexts = new Dictionary();
  const collector = new EventCollector(rules, { duration: true, artist: true, context: true }, 1024, !opts.strict, opts.sharedColumns ?? false);
  let row = 0;
  let sawArtist = false;
  let sawContext = false;
  for await (const r of records) {
    row++;
    report.rowsRead++;
    if (typeof r !== 'object' || r === null) {
      report.malformed(row, 'not an event object');
      continue;
    }
    if (typeof r.userId !== 'string' || typeof r.trackId !== 'string') {
      report.malformed(row, `userId and trackId must be strings, got ${typeof r.userId} and ${typeof r.trackId}`);
      continue;
    }
    if (r.event !== undefined && typeof r.event !== 'string') {
      report.malformed(row, `event must be a kind name, got ${typeof r.event}`);
      continue;
    }
    const ms = optionalNumber(r.msPlayed);
    const dur = optionalNumber(r.durationMs);
    if (ms === undefined || dur === undefined) {
      report.malformed(row, `${ms === undefined ? 'msPlayed' : 'durationMs'} must be a finite number`);
      continue;
    }
    if (r.userId === '' || r.trackId === '') {
      report.violation('missing_id', row, () => `empty ${r.userId === '' ? 'userId' : 'trackId'}`);
      continue;
    }
    const ts = timestampMs(r.timestamp);
    if (ts !== ts) {
      report.violation('bad_timestamp', row, () => `timestamp ${JSON.stringify(r.timestamp) ?? String(r.timestamp)}`);
      continue;
    }
    report.timestampFormat ??= typeof r.timestamp === 'string' ? 'iso8601' : 'epoch_ms';
    const rule = collector.check(ts, ms, dur);
    if (rule !== null) {
      report.violation(rule, row, () => describeRule(rule, ts, ms, dur, rules));
      continue;
    }
    const kind = r.event === undefined ? PLAY : kinds.fromName(r.event);
    const artistId = optionalId(r.artistId);
    const contextId = optionalId(r.context);
    sawArtist ||= artistId !== undefined;
    sawContext ||= contextId !== undefined;
    const u = users.intern(opts.pseudonymize ? opts.pseudonymize(r.userId) : r.userId);
    const t = tracks.intern(r.trackId);
    const a = artistId === undefined ? -1 : artists.intern(artistId);
    const c = contextId === undefined ? -1 : contexts.intern(contextId);
    if (!collector.push(u, t, ts, kind === UNKNOWN_KIND ? OTHER : kind, ms, dur, a, c, row)) {
      report.violation('duplicate_event', row, () => 'same user, track, timestamp and kind as an earlier record');
      continue;
    }
    report.rowsKept++;
    if (kind === UNKNOWN_KIND) collector.unknownKind(report, r.event ?? '', row);
  }
  await collector.settle(report);
  const log = collector.finish(users, tracks, sawArtist ? artists : undefined, sawContext ? contexts : undefined);
  return { log, report: report.finish() };
}
