/**
 * The sink of a CSV/TSV event read: checks each row's values, holds rows so their ids are looked
 * up a block at a time, and stores what passes in an EventCollector with the read's dictionaries.
 * A byte range of the file read on another thread has a sink of its own, whose events, ids and
 * counts the reading thread's sink takes in file order (absorbRange).
 */
import { Dictionary } from './dictionary.js';
import { ByteInterner, INVALID_UTF8 } from './byte-interner.js';
import { HeldRows } from './held-rows.js';
import type { DelimitedRow, HeaderInfo } from './csv-reader.js';
import { IngestError, quoteValue } from './errors.js';
import { EventCollector, describeRule, type CollectedEvents, type EventRuleOptions } from './event-collector.js';
import { KindNames, OTHER, PLAY, UNKNOWN_KIND } from './event-kind.js';
import { eventColumnsUsed, eventRuleOptions, locateEventColumns, type EventColumnIndex, type ReadEventsOptions } from './events-options.js';
import type { ReportBuilder, ReportCounts } from './ingest-report.js';
import { isBlank, parseNumberBytes } from './parse-number.js';
import { TextTimestampParser } from './timestamps.js';

/** What a range's sink stored and counted, as plain data (CsvEventSink.rangeEvents). */
export interface RangeEvents {
  events: CollectedEvents;
  /** The range's dictionaries, ids in order of first appearance in the range (users not pseudonymised). */
  users: readonly string[];
  tracks: readonly string[];
  artists: readonly string[];
  contexts: readonly string[];
  counts: ReportCounts;
}

const text = new TextDecoder('utf-8');

export class CsvEventSink {
  readonly users = new Dictionary();
  readonly tracks = new Dictionary();
  readonly artists = new Dictionary();
  readonly contexts = new Dictionary();
  private readonly userIds: ByteInterner;
  private readonly trackIds = new ByteInterner(this.tracks);
  private readonly artistIds = new ByteInterner(this.artists);
  private readonly contextIds = new ByteInterner(this.contexts);
  private readonly time = new TextTimestampParser();
  private readonly rules: EventRuleOptions;
  private readonly kindNames: KindNames;
  private col!: EventColumnIndex;
  private names: string[] = [];
  collector!: EventCollector;
  /** Rows checked but not yet stored: their ids are looked up a block at a time (see flush). */
  private readonly held = new HeldEvents();
  /** Lines of the parts read before this one: a part's line n is reported as lineBase + n. */
  lineBase = 0;
  /** See PartSink.capacityScale. */
  capacityScale = 1;

  constructor(
    /** The file being read (the current part of a directory). */
    public file: string,
    private readonly opts: ReadEventsOptions,
    readonly report: ReportBuilder,
    /** The resolved rules, when another thread resolved them (retention is relative to now). */
    rules: EventRuleOptions = eventRuleOptions(opts),
  ) {
    this.userIds = new ByteInterner(this.users, opts.pseudonymize);
    this.rules = rules;
    this.kindNames = new KindNames(opts.eventAliases);
  }

  header(info: HeaderInfo): void {
    if (this.collector) return this.nextPartHeader(info);
    this.names = info.names;
    this.col = locateEventColumns(this.file, info.names, this.opts);
    this.report.columns = eventColumnsUsed(info.names, this.col);
    this.report.delimiter = info.delimiter;
    this.collector = new EventCollector(
      this.rules,
      { duration: this.col.duration >= 0, artist: this.col.artist >= 0, context: this.col.context >= 0 },
      Math.ceil(info.estimatedRows * this.capacityScale),
      !this.opts.strict,
      this.opts.sharedColumns ?? false,
    );
  }

  /** Later parts of a directory must have the first part's columns, in the same order. */
  private nextPartHeader(info: HeaderInfo): void {
    const same = info.names.length === this.names.length && info.names.every((n, i) => n === this.names[i]);
    if (!same) throw new IngestError(`${this.file}: columns ${info.names.join(', ')} differ from the first part's (${this.names.join(', ')})`, this.file);
  }

  malformed(line: number, message: string): void {
    this.flush();
    this.report.rowsRead++;
    this.report.malformed(this.lineBase + line, message);
  }

  /** A numeric field: NaN when blank, undefined (after reporting) when not a finite number. */
  private number(r: DelimitedRow, c: number): number | undefined {
    const s = r.start[c];
    const e = r.end[c];
    const v = parseNumberBytes(r.bytes, s, e);
    if (Number.isFinite(v)) return v;
    if (v !== v && isBlank(r.bytes, s, e)) return NaN;
    this.flush();
    this.report.malformed(this.lineBase + r.line, `column '${this.names[c]}': ${quoteValue(text.decode(r.bytes.subarray(s, e)))} is not a number`);
    return undefined;
  }

  private badUtf8(line: number, c: number): void {
    this.report.malformed(line, `column '${this.names[c]}': invalid UTF-8`);
  }

  /**
   * Checks a row's values and holds it for flush. A row that breaks a rule is reported at once,
   * after the rows held before it, so reports (and --strict's error) keep the file's order.
   */
  row(r: DelimitedRow): void {
    const report = this.report;
    report.rowsRead++;
    const col = this.col;
    const b = r.bytes;
    const st = r.start;
    const en = r.end;
    const line = this.lineBase + r.line;
    let ms = NaN;
    if (col.msPlayed >= 0) {
      const v = this.number(r, col.msPlayed);
      if (v === undefined) return;
      ms = v;
    }
    let dur = NaN;
    if (col.duration >= 0) {
      const v = this.number(r, col.duration);
      if (v === undefined) return;
      dur = v;
    }
    const us = st[col.user];
    const ue = en[col.user];
    const ts0 = st[col.track];
    const te = en[col.track];
    if (us === ue || ts0 === te) {
      this.flush();
      report.violation('missing_id', line, () => `empty ${us === ue ? this.names[col.user] : this.names[col.track]}`);
      return;
    }
    const ts = this.time.parse(b, st[col.time], en[col.time]);
    if (ts !== ts) {
      this.flush();
      report.violation('bad_timestamp', line, () => `column '${this.names[col.time]}': ${quoteValue(text.decode(b.subarray(st[col.time], en[col.time])))}`);
      return;
    }
    report.timestampFormat ??= this.time.format;
    const kind = col.event >= 0 ? this.kindNames.fromBytes(b, st[col.event], en[col.event]) : PLAY;
    const rule = this.collector.check(ts, ms, dur);
    if (rule !== null) {
      this.flush();
      report.violation(rule, line, () => describeRule(rule, ts, ms, dur, this.rules));
      return;
    }
    const h = this.held;
    if (!h.accepts(b)) this.flush();
    const i = h.hold(b, us, ue, ts0, te, line);
    h.time[i] = ts;
    h.kind[i] = kind;
    h.ms[i] = ms;
    h.duration[i] = dur;
    h.artistStart[i] = col.artist >= 0 ? st[col.artist] : 0;
    h.artistEnd[i] = col.artist >= 0 ? en[col.artist] : 0;
    h.contextStart[i] = col.context >= 0 ? st[col.context] : 0;
    h.contextEnd[i] = col.context >= 0 ? en[col.context] : 0;
    h.eventStart[i] = col.event >= 0 ? st[col.event] : 0;
    h.eventEnd[i] = col.event >= 0 ? en[col.event] : 0;
  }

  /** The resolved rules, for the sinks of ranges read on other threads. */
  get ruleOptions(): EventRuleOptions {
    return this.rules;
  }

  /** What this (range's) sink stored and counted, for absorbRange on the reading thread. */
  rangeEvents(): RangeEvents {
    return {
      events: this.collector.collected(),
      users: this.users.ids,
      tracks: this.tracks.ids,
      artists: this.artists.ids,
      contexts: this.contexts.ids,
      counts: this.report.counts(),
    };
  }

  /**
   * Whether a range read timestamps as the file's first valid one set (or either saw none): each
   * thread detects the format from its own first value, and one that detected another would have
   * refused rows this read takes, or the other way round.
   */
  continues(r: RangeEvents): boolean {
    const file = this.report.timestampFormat;
    const range = r.counts.timestampFormat;
    return file === undefined || range === undefined || file === range;
  }

  /**
   * Takes the events of the rows after this sink's (a range read on another thread), as if its
   * rows had come here: its ids join the dictionaries in the range's order of first appearance
   * (users pseudonymised here), its lines are shifted by `base` (lines before the range in this
   * part). Call after this sink's own rows, range by range in file order.
   */
  absorbRange(r: RangeEvents, base: number): void {
    this.flush();
    const maps = {
      user: this.users.internAll(r.users, this.opts.pseudonymize),
      track: this.tracks.internAll(r.tracks),
      artist: r.events.artist ? this.artists.internAll(r.artists) : undefined,
      context: r.events.context ? this.contexts.internAll(r.contexts) : undefined,
    };
    this.collector.appendRange(r.events, maps, this.lineBase + base);
    this.report.absorb(r.counts, this.lineBase + base);
  }

  /**
   * Stores the held rows in order. Only ids new to their table are interned one by one, in row
   * order, so the dictionaries fill as if rows were taken singly.
   */
  flush(): void {
    const h = this.held;
    const n = h.count;
    if (n === 0) return;
    h.lookUp(this.userIds, this.trackIds);
    h.count = 0;
    const b = h.bytes;
    const col = this.col;
    const report = this.report;
    const c = this.collector;
    for (let i = 0; i < n; i++) {
      const line = h.line[i];
      const u = h.userOf(i, this.userIds);
      if (u === INVALID_UTF8) {
        this.badUtf8(line, col.user);
        continue;
      }
      const t = h.itemOf(i, this.trackIds);
      if (t === INVALID_UTF8) {
        this.badUtf8(line, col.track);
        continue;
      }
      const a = optionalId(this.artistIds, b, h.artistStart[i], h.artistEnd[i]);
      if (a === BAD_ID) {
        this.badUtf8(line, col.artist);
        continue;
      }
      const ctx = optionalId(this.contextIds, b, h.contextStart[i], h.contextEnd[i]);
      if (ctx === BAD_ID) {
        this.badUtf8(line, col.context);
        continue;
      }
      const kind = h.kind[i];
      if (!c.push(u, t, h.time[i], kind === UNKNOWN_KIND ? OTHER : kind, h.ms[i], h.duration[i], a, ctx, line)) {
        report.violation('duplicate_event', line, () => 'same user, track, timestamp and kind as an earlier row');
        continue;
      }
      report.rowsKept++;
      if (kind === UNKNOWN_KIND) c.unknownKind(report, text.decode(b.subarray(h.eventStart[i], h.eventEnd[i])), line);
    }
  }
}

/** optionalId's mark for bytes that are not valid UTF-8 (−1 means no value). */
const BAD_ID = -2;

/** The index of an optional id in bytes [s, e): −1 when the field is empty, BAD_ID when not UTF-8. */
function optionalId(ids: ByteInterner, b: Uint8Array, s: number, e: number): number {
  if (s === e) return -1;
  const v = ids.internBytes(b, s, e);
  return v === INVALID_UTF8 ? BAD_ID : v;
}

/** Held event rows: the ids' ranges (HeldRows) and the row's other values, parsed and checked. */
class HeldEvents extends HeldRows {
  readonly time = new Float64Array(this.capacity);
  readonly kind = new Int32Array(this.capacity);
  readonly ms = new Float64Array(this.capacity);
  readonly duration = new Float64Array(this.capacity);
  readonly artistStart = new Int32Array(this.capacity);
  readonly artistEnd = new Int32Array(this.capacity);
  readonly contextStart = new Int32Array(this.capacity);
  readonly contextEnd = new Int32Array(this.capacity);
  readonly eventStart = new Int32Array(this.capacity);
  readonly eventEnd = new Int32Array(this.capacity);
}

