/**
 * Events from Arrow record batches (Parquet row groups and Arrow IPC files both arrive as these):
 * each batch's columns are converted column-wise into scratch typed arrays (ids into per-row
 * keys and a per-key cache of dictionary indices), then one row loop over typed arrays only
 * applies the same rules and storage as the text reader.
 */
import * as arrow from 'apache-arrow';
import { kindsInto, numbersInto, timesInto, type KindColumn, type TimeState } from './arrow-columns.js';
import { IdColumn, IdTarget, MISSING_KEY, UNRESOLVED } from './arrow-id-column.js';
import { INVALID_UTF8 } from './byte-interner.js';
import { Dictionary } from './dictionary.js';
import { EventCollector, describeRule, type EventRuleOptions } from './event-collector.js';
import { KindNames, OTHER, PLAY, UNKNOWN_KIND } from './event-kind.js';
import { eventColumnsUsed, eventRuleOptions, locateEventColumns, type ReadEventsOptions } from './events-options.js';
import { EVENT_RULES, ReportBuilder, type IngestReport } from './ingest-report.js';
import { BATCH_ROWS_PER_TURN, type ColumnarFormat } from './columnar-batches.js';
import { readBatchParts } from './part-files.js';
import { TextTimestampParser } from './timestamps.js';
import type { EventLog } from '../types.js';
import { inSlicesPerTurn, nextTurn, turnAfterIo } from '../util/turns.js';

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

/** Resolves the event columns among a schema's field names (recorded on the report); throws naming a missing column. */
export function arrowEventColumns(file: string, fieldNames: readonly string[], opts: ReadEventsOptions, report: ReportBuilder): ArrowEventColumns {
  const idx = locateEventColumns(file, fieldNames, opts);
  report.columns = eventColumnsUsed(fieldNames, idx);
  const pick = (i: number): string | undefined => (i >= 0 ? fieldNames[i] : undefined);
  const cols: ArrowEventColumns = { user: fieldNames[idx.user], track: fieldNames[idx.track], time: fieldNames[idx.time] };
  for (const key of ['event', 'msPlayed', 'duration', 'artist', 'context'] as const) {
    const name = pick(idx[key]);
    if (name !== undefined) cols[key] = name;
  }
  return cols;
}

/** Dictionary index of an optional id (artist, context) of row i: -1 when missing. */
function optionalId(col: IdColumn, i: number): number {
  const k = col.keys[i];
  if (k === MISSING_KEY) return -1;
  const v = col.cache[k];
  return v === UNRESOLVED ? col.resolve(k) : v;
}

export class ArrowEventSink {
  readonly users = new Dictionary();
  readonly tracks = new Dictionary();
  readonly artists = new Dictionary();
  readonly contexts = new Dictionary();
  private readonly userIds: IdColumn;
  private readonly trackIds: IdColumn;
  private readonly artistIds: IdColumn | null;
  private readonly contextIds: IdColumn | null;
  private readonly time: TimeState = { format: undefined, text: new TextTimestampParser() };
  private readonly rules: EventRuleOptions;
  private readonly kindNames: KindNames;
  private readonly collector: EventCollector;
  /** Rows of all batches so far (of every part): row numbers continue across parts. */
  rowsDone = 0;
  private ts = new Float64Array(0);
  private ms = new Float64Array(0);
  private dur = new Float64Array(0);
  private kinds = new Uint8Array(0);
  /** Rows whose ms played or duration is text that is not a number. */
  private badMs = new Uint8Array(0);
  private badDur = new Uint8Array(0);

  constructor(
    /** The file being read (the current part of a directory). */
    public file: string,
    opts: ReadEventsOptions,
    private readonly report: ReportBuilder,
    readonly columns: ArrowEventColumns,
    rowsHint: number,
  ) {
    this.userIds = new IdColumn(file, columns.user, new IdTarget(this.users, opts.pseudonymize));
    this.trackIds = new IdColumn(file, columns.track, new IdTarget(this.tracks));
    this.artistIds = columns.artist ? new IdColumn(file, columns.artist, new IdTarget(this.artists)) : null;
    this.contextIds = columns.context ? new IdColumn(file, columns.context, new IdTarget(this.contexts)) : null;
    this.rules = eventRuleOptions(opts);
    this.kindNames = new KindNames(opts.eventAliases);
    this.collector = new EventCollector(
      this.rules,
      { duration: columns.duration !== undefined, artist: columns.artist !== undefined, context: columns.context !== undefined },
      rowsHint,
      !opts.strict,
      opts.sharedColumns ?? false,
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

  /**
   * Takes a batch: its columns converted in two event-loop turns, its rows BATCH_ROWS_PER_TURN per
   * turn after them. The first turn lets the loop's timers run: the batch may have just been decoded
   * in an I/O callback.
   */
  async addBatch(batch: arrow.RecordBatch): Promise<void> {
    const n = batch.numRows;
    if (n === 0) return;
    await turnAfterIo();
    const kinds = await this.convertColumns(batch, n);
    const base = this.rowsDone;
    this.report.rowsRead += n;
    await inSlicesPerTurn(
      n,
      BATCH_ROWS_PER_TURN,
      (from, to) => {
        this.lookUpIds(from, to);
        this.takeRows(from, to, base, kinds);
      },
      true,
    );
    this.rowsDone += n;
  }

  /**
   * The batch's columns into the scratch arrays, then (in a turn of their own) into the id
   * columns; the event kinds' column when the file has one.
   */
  private async convertColumns(batch: arrow.RecordBatch, n: number): Promise<KindColumn | null> {
    if (this.ts.length < n) {
      this.ts = new Float64Array(n);
      this.ms = new Float64Array(n);
      this.dur = new Float64Array(n);
      this.kinds = new Uint8Array(n);
      this.badMs = new Uint8Array(n);
      this.badDur = new Uint8Array(n);
    }
    const { file, columns: cols, report } = this;
    timesInto(file, cols.time, this.chunk(batch, cols.time), this.ts, this.time);
    if (report.timestampFormat === undefined && this.time.format !== undefined) report.timestampFormat = this.time.format;
    this.badMs.fill(0, 0, n);
    this.badDur.fill(0, 0, n);
    if (cols.msPlayed) numbersInto(file, cols.msPlayed, this.chunk(batch, cols.msPlayed), this.ms, this.badMs);
    else this.ms.fill(NaN, 0, n);
    if (cols.duration) numbersInto(file, cols.duration, this.chunk(batch, cols.duration), this.dur, this.badDur);
    else this.dur.fill(NaN, 0, n);
    const kinds = cols.event ? kindsInto(file, cols.event, this.chunk(batch, cols.event), this.kinds, this.kindNames) : null;
    if (!kinds) this.kinds.fill(PLAY, 0, n);
    await nextTurn();
    this.userIds.load(this.chunk(batch, cols.user));
    this.trackIds.load(this.chunk(batch, cols.track));
    if (this.artistIds && cols.artist) this.artistIds.load(this.chunk(batch, cols.artist));
    if (this.contextIds && cols.context) this.contextIds.load(this.chunk(batch, cols.context));
    return kinds;
  }

  /** Known ids of rows [from, to), looked up in blocks (plain string columns; see IdColumn.lookUpRows). */
  private lookUpIds(from: number, to: number): void {
    this.userIds.lookUpRows(from, to);
    this.trackIds.lookUpRows(from, to);
    this.artistIds?.lookUpRows(from, to);
    this.contextIds?.lookUpRows(from, to);
  }

  /** Rows [from, to) of the converted batch, whose first row is row base + 1 of the input. */
  private takeRows(from: number, to: number, base: number, kinds: KindColumn | null): void {
    const { columns: cols, report, collector, ts, ms, dur, badMs, badDur } = this;
    const kind = this.kinds;
    const users = this.userIds;
    const tracks = this.trackIds;
    const artists = this.artistIds;
    const contexts = this.contextIds;
    const uKeys = users.keys;
    const tKeys = tracks.keys;
    const uCache = users.cache;
    const tCache = tracks.cache;
    let kept = 0;
    for (let i = from; i < to; i++) {
      if (badMs[i] === 1 || badDur[i] === 1) {
        report.malformed(base + i + 1, `column '${badMs[i] === 1 ? cols.msPlayed : cols.duration}': not a number`);
        continue;
      }
      const uk = uKeys[i];
      const tk = tKeys[i];
      if (uk === MISSING_KEY || tk === MISSING_KEY) {
        report.violation('missing_id', base + i + 1, () => `empty ${uk === MISSING_KEY ? cols.user : cols.track}`);
        continue;
      }
      const t = ts[i];
      if (t !== t) {
        report.violation('bad_timestamp', base + i + 1, () => `column '${cols.time}' is null or not a valid timestamp`);
        continue;
      }
      const m = ms[i];
      const d = dur[i];
      const rule = collector.check(t, m, d);
      if (rule !== null) {
        report.violation(rule, base + i + 1, () => describeRule(rule, t, m, d, this.rules));
        continue;
      }
      let u = uCache[uk];
      if (u === UNRESOLVED) u = users.resolve(uk);
      if (u === INVALID_UTF8) {
        report.malformed(base + i + 1, `column '${cols.user}': invalid UTF-8`);
        continue;
      }
      let tr = tCache[tk];
      if (tr === UNRESOLVED) tr = tracks.resolve(tk);
      if (tr === INVALID_UTF8) {
        report.malformed(base + i + 1, `column '${cols.track}': invalid UTF-8`);
        continue;
      }
      const a = artists ? optionalId(artists, i) : -1;
      const c = contexts ? optionalId(contexts, i) : -1;
      const k = kind[i];
      if (!collector.push(u, tr, t, k === UNKNOWN_KIND ? OTHER : k, m, d, a, c, base + i + 1)) {
        report.violation('duplicate_event', base + i + 1, () => 'same user, track, timestamp and kind as an earlier row');
        continue;
      }
      kept++;
      if (k === UNKNOWN_KIND && kinds) collector.unknownKind(report, kinds.name(i), base + i + 1);
    }
    report.rowsKept += kept;
  }

  async finish(): Promise<EventLog> {
    const c = this.collector;
    await c.settle(this.report);
    return c.finish(
      this.users,
      this.tracks,
      c.artist ? this.artists : undefined,
      c.context ? this.contexts : undefined,
    );
  }
}

/** Events from a Parquet or Arrow IPC file: each record batch goes through the Arrow event sink. */
export async function readEventsColumnar(file: string, format: ColumnarFormat, opts: ReadEventsOptions): Promise<{ log: EventLog; report: IngestReport }> {
  return readEventsColumnarParts(file, [file], format, opts);
}

/**
 * The parts of a Parquet or Arrow event log (a directory of part files, as Spark writes one)
 * through one sink: one set of dictionaries and one collector, rows located as `part:row n`.
 */
export async function readEventsColumnarParts(name: string, parts: readonly string[], format: ColumnarFormat, opts: ReadEventsOptions): Promise<{ log: EventLog; report: IngestReport }> {
  const report = new ReportBuilder(name, format, 'row', EVENT_RULES, opts.strict ?? false, opts.skipBad ?? false);
  const sink = await readBatchParts(name, parts, format, report, (part, names, rowsHint) => new ArrowEventSink(part, opts, report, arrowEventColumns(part, names, opts, report), rowsHint), opts);
  return { log: await sink!.finish(), report: report.finish() };
}
