/** Events from CSV/TSV: byte-level rows from the streaming reader, checked and stored column-wise. */
import { Dictionary } from './dictionary.js';
import { ByteInterner, INVALID_UTF8 } from './byte-interner.js';
import { type DelimitedOptions, type DelimitedRow, type HeaderInfo } from './csv-reader.js';
import { readDelimitedParts } from './part-files.js';
import { IngestError, quoteValue } from './errors.js';
import { EventCollector, describeRule, type EventRuleOptions } from './event-collector.js';
import { KindNames, OTHER, PLAY, UNKNOWN_KIND } from './event-kind.js';
import { eventColumnsUsed, eventRuleOptions, locateEventColumns, type EventColumnIndex, type ReadEventsOptions } from './events-options.js';
import { EVENT_RULES, ReportBuilder, type IngestReport } from './ingest-report.js';
import { isBlank, parseNumberBytes } from './parse-number.js';
import { TextTimestampParser } from './timestamps.js';
import type { EventLog } from '../types.js';

const text = new TextDecoder('utf-8');

class CsvEventSink {
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
  /** Lines of the parts read before this one: a part's line n is reported as lineBase + n. */
  lineBase = 0;
  /** See PartSink.capacityScale. */
  capacityScale = 1;

  constructor(
    /** The file being read (the current part of a directory). */
    public file: string,
    private readonly opts: ReadEventsOptions,
    readonly report: ReportBuilder,
  ) {
    this.userIds = new ByteInterner(this.users, opts.pseudonymize);
    this.rules = eventRuleOptions(opts);
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
    );
  }

  /** Later parts of a directory must have the first part's columns, in the same order. */
  private nextPartHeader(info: HeaderInfo): void {
    const same = info.names.length === this.names.length && info.names.every((n, i) => n === this.names[i]);
    if (!same) throw new IngestError(`${this.file}: columns ${info.names.join(', ')} differ from the first part's (${this.names.join(', ')})`, this.file);
  }

  malformed(line: number, message: string): void {
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
    this.report.malformed(this.lineBase + r.line, `column '${this.names[c]}': ${quoteValue(text.decode(r.bytes.subarray(s, e)))} is not a number`);
    return undefined;
  }

  private badUtf8(r: DelimitedRow, c: number): void {
    this.report.malformed(this.lineBase + r.line, `column '${this.names[c]}': invalid UTF-8`);
  }

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
      report.violation('missing_id', line, () => `empty ${us === ue ? this.names[col.user] : this.names[col.track]}`);
      return;
    }
    const ts = this.time.parse(b, st[col.time], en[col.time]);
    if (ts !== ts) {
      report.violation('bad_timestamp', line, () => `column '${this.names[col.time]}': ${quoteValue(text.decode(b.subarray(st[col.time], en[col.time])))}`);
      return;
    }
    report.timestampFormat ??= this.time.format;
    const kind = col.event >= 0 ? this.kindNames.fromBytes(b, st[col.event], en[col.event]) : PLAY;
    const c = this.collector;
    const rule = c.check(ts, ms, dur);
    if (rule !== null) {
      report.violation(rule, line, () => describeRule(rule, ts, ms, dur, this.rules));
      return;
    }
    const u = this.userIds.internBytes(b, us, ue);
    if (u === INVALID_UTF8) return this.badUtf8(r, col.user);
    const t = this.trackIds.internBytes(b, ts0, te);
    if (t === INVALID_UTF8) return this.badUtf8(r, col.track);
    let a = -1;
    if (col.artist >= 0 && st[col.artist] !== en[col.artist]) {
      a = this.artistIds.internBytes(b, st[col.artist], en[col.artist]);
      if (a === INVALID_UTF8) return this.badUtf8(r, col.artist);
    }
    let ctx = -1;
    if (col.context >= 0 && st[col.context] !== en[col.context]) {
      ctx = this.contextIds.internBytes(b, st[col.context], en[col.context]);
      if (ctx === INVALID_UTF8) return this.badUtf8(r, col.context);
    }
    if (!c.push(u, t, ts, kind === UNKNOWN_KIND ? OTHER : kind, ms, dur, a, ctx, line)) {
      report.violation('duplicate_event', line, () => 'same user, track, timestamp and kind as an earlier row');
      return;
    }
    report.rowsKept++;
    if (kind === UNKNOWN_KIND) c.unknownKind(report, text.decode(b.subarray(st[col.event], en[col.event])), line);
  }
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
  await readDelimitedParts(name, parts, sink, report, delimitedOpts, opts.onProgress);
  // An empty file allowed by allowEmpty never reached header(): give it an empty log.
  sink.collector ??= new EventCollector(eventRuleOptions(opts), { duration: false, artist: false, context: false }, 16);
  sink.collector.settle(report);
  const hasArtist = sink.collector.artist !== undefined;
  const hasContext = sink.collector.context !== undefined;
  const log = sink.collector.finish(sink.users, sink.tracks, hasArtist ? sink.artists : undefined, hasContext ? sink.contexts : undefined);
  return { log, report: report.finish() };
}
