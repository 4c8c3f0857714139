/**
 * Events from Arrow record batches (Parquet row groups and Arrow IPC files both arrive as these):
 * each batch's columns are converted column-wise into scratch typed arrays, then one row loop
 * applies the same rules and storage as the text reader.
 */
import * as arrow from 'apache-arrow';
import { IdTarget, idReader, kindsInto, numbersInto, timesInto, type IdReader, type TimeState } from './arrow-columns.js';
import { INVALID_UTF8 } from './byte-interner.js';
import { Dictionary } from './dictionary.js';
import { EventCollector, describeRule, type EventRuleOptions } from './event-collector.js';
import { OTHER, PLAY, UNKNOWN_KIND } from './event-kind.js';
import { eventRuleOptions, locateEventColumns, type ReadEventsOptions } from './events-options.js';
import type { ReportBuilder } from './ingest-report.js';
import { TextTimestampParser } from './timestamps.js';
import type { EventLog } from '../types.js';

/** Names of the file's columns that feed the log (undefined when an optional one is absent). */
export interface ArrowEventColumns {
  user: string;
  track: string;
  time: string;
  event?: string;
  msPlayed?: string;
  duration?: string;
  artist?: string;
  context?: string;
}

/** Resolves the event columns among a schema's field names; throws naming a missing column. */
export function arrowEventColumns(file: string, fieldNames: readonly string[], opts: ReadEventsOptions): ArrowEventColumns {
  const idx = locateEventColumns(file, fieldNames, opts);
  const pick = (i: number): string | undefined => (i >= 0 ? fieldNames[i] : undefined);
  const cols: ArrowEventColumns = { user: fieldNames[idx.user], track: fieldNames[idx.track], time: fieldNames[idx.time] };
  for (const key of ['event', 'msPlayed', 'duration', 'artist', 'context'] as const) {
    const name = pick(idx[key]);
    if (name !== undefined) cols[key] = name;
  }
  return cols;
}

export class ArrowEventSink {
  readonly users = new Dictionary();
  readonly tracks = new Dictionary();
  readonly artists = new Dictionary();
  readonly contexts = new Dictionary();
  private readonly userIds: IdTarget;
  private readonly trackIds = new IdTarget(this.tracks);
  private readonly artistIds = new IdTarget(this.artists);
  private readonly contextIds = new IdTarget(this.contexts);
  private readonly time: TimeState = { format: undefined, text: new TextTimestampParser() };
  private readonly rules: EventRuleOptions;
  private readonly collector: EventCollector;
  private rowsDone = 0;
  private ts = new Float64Array(0);
  private ms = new Float64Array(0);
  private dur = new Float64Array(0);
  private kinds = new Uint8Array(0);

  constructor(
    private readonly file: string,
    opts: ReadEventsOptions,
    private readonly report: ReportBuilder,
    readonly columns: ArrowEventColumns,
    rowsHint: number,
  ) {
    this.userIds = new IdTarget(this.users, opts.pseudonymize);
    this.rules = eventRuleOptions(opts);
    this.collector = new EventCollector(
      this.rules,
      { duration: columns.duration !== undefined, artist: columns.artist !== undefined, context: columns.context !== undefined },
      rowsHint,
    );
  }

  /** The names of the columns to read (for projection). */
  get columnNames(): string[] {
    return Object.values(this.columns).filter((c): c is string => c !== undefined);
  }

  private chunk(batch: arrow.RecordBatch, name: string): arrow.Data {
    const child = batch.getChild(name);
    if (!child) throw new Error(`${this.file}: column '${name}' missing from a record batch`);
    return child.data[0]; // a record batch holds one chunk per column
  }

  addBatch(batch: arrow.RecordBatch): void {
    const n = batch.numRows;
    if (n === 0) return;
    if (this.ts.length < n) {
      this.ts = new Float64Array(n);
      this.ms = new Float64Array(n);
      this.dur = new Float64Array(n);
      this.kinds = new Uint8Array(n);
    }
    const { file, columns: cols, report, collector } = this;
    const ts = this.ts;
    const ms = this.ms;
    const dur = this.dur;
    timesInto(file, cols.time, this.chunk(batch, cols.time), ts, this.time);
    if (report.timestampFormat === undefined && this.time.format !== undefined) report.timestampFormat = this.time.format;
    if (cols.msPlayed) numbersInto(file, cols.msPlayed, this.chunk(batch, cols.msPlayed), ms);
    else ms.fill(NaN, 0, n);
    if (cols.duration) numbersInto(file, cols.duration, this.chunk(batch, cols.duration), dur);
    else dur.fill(NaN, 0, n);
    const kinds = cols.event ? kindsInto(file, cols.event, this.chunk(batch, cols.event), this.kinds) : null;
    if (!kinds) this.kinds.fill(PLAY, 0, n);
    const kind = this.kinds;
    const users = idReader(file, cols.user, this.chunk(batch, cols.user), this.userIds);
    const tracks = idReader(file, cols.track, this.chunk(batch, cols.track), this.trackIds);
    const artists: IdReader | null = cols.artist ? idReader(file, cols.artist, this.chunk(batch, cols.artist), this.artistIds) : null;
    const contexts: IdReader | null = cols.context ? idReader(file, cols.context, this.chunk(batch, cols.context), this.contextIds) : null;

    const base = this.rowsDone;
    for (let i = 0; i < n; i++) {
      const row = base + i + 1;
      report.rowsRead++;
      if (users.missing(i) || tracks.missing(i)) {
        report.violation('missing_id', row, () => `empty ${users.missing(i) ? cols.user : cols.track}`);
        continue;
      }
      const t = ts[i];
      if (t !== t) {
        report.violation('bad_timestamp', row, () => `column '${cols.time}' is null or not a valid timestamp`);
        continue;
      }
      const m = ms[i];
      const d = dur[i];
      const rule = collector.check(t, m, d);
      if (rule !== null) {
        report.violation(rule, row, () => describeRule(rule, t, m, d, this.rules));
        continue;
      }
      const u = users.intern(i);
      if (u === INVALID_UTF8) {
        report.malformed(row, `column '${cols.user}': invalid UTF-8`);
        continue;
      }
      const tr = tracks.intern(i);
      if (tr === INVALID_UTF8) {
        report.malformed(row, `column '${cols.track}': invalid UTF-8`);
        continue;
      }
      const a = artists && !artists.missing(i) ? artists.intern(i) : -1;
      const c = contexts && !contexts.missing(i) ? contexts.intern(i) : -1;
      const k = kind[i];
      if (!collector.push(u, tr, t, k === UNKNOWN_KIND ? OTHER : k, m, d, a, c)) {
        report.violation('duplicate_event', row, () => 'same user, track, timestamp and kind as an earlier row');
        continue;
      }
      report.rowsKept++;
      if (k === UNKNOWN_KIND && kinds) report.unknownKind(kinds.name(i), row);
    }
    this.rowsDone += n;
  }

  finish(): EventLog {
    const c = this.collector;
    return c.finish(
      this.users,
      this.tracks,
      c.artist ? this.artists : undefined,
      c.context ? this.contexts : undefined,
    );
  }
}
