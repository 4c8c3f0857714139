import { IngestError, formatLocation, type LocationKind } from './errors.js';
import type { TimestampFormat } from './timestamps.js';

/**
 * Rule names of event validation, in the order they are checked for a row; a dropped row counts
 * under the first rule it breaks. Two exceptions to the order: invalid UTF-8 in an id is found
 * when the id is interned, after the value rules (it counts as `malformed_row`), and
 * `unknown_event_kind` counts kept rows only (the row is stored as `other`).
 */
export const EVENT_RULES = [
  'malformed_row',
  'missing_id',
  'bad_timestamp',
  'future_timestamp',
  'ancient_timestamp',
  'too_old',
  'negative_duration',
  'overlong_play',
  'duplicate_event',
  'unknown_event_kind',
] as const;
export type EventRule = (typeof EVENT_RULES)[number];

/** Rule names of counts validation. */
export const COUNT_RULES = ['malformed_row', 'missing_id', 'bad_weight', 'zero_weight'] as const;
export type CountRule = (typeof COUNT_RULES)[number];

/** What happened while reading one file. */
export interface IngestReport {
  file: string;
  /** `records`: JS objects (readEventRecords). */
  format: 'csv' | 'parquet' | 'arrow' | 'records';
  /** Field delimiter of a text file (`,`, `\t`, `;` or `|`). */
  delimiter?: string;
  /** Data rows seen (header excluded, blank lines excluded). */
  rowsRead: number;
  /** Rows stored in the output. */
  rowsKept: number;
  /** Wall-clock seconds of the read. */
  seconds: number;
  /** Rows per rule. Every rule is present (0 when it never fired). */
  validation: Record<string, number>;
  /** The first examples (`file:line`) per rule that fired. */
  examples: Record<string, string[]>;
  /** How timestamps were read (events only; undefined when no valid timestamp was seen). */
  timestampFormat?: TimestampFormat;
  /** Rows per raw event name that was not a known kind (kept as `other`). */
  unknownKinds?: Record<string, number>;
  /**
   * Events: the file's column read for each schema role (`event`, `ms_played`, ...), null for an
   * optional role the file lacks (no `event` column: every row is a play; no `ms_played`: plays
   * count as fully heard).
   */
  columns?: Record<string, string | null>;
  /** The part files read, in order, when the input is a directory of parts. */
  parts?: string[];
}

/** A report's counts as plain data (ReportBuilder.counts), numbered from its own first row. */
export interface ReportCounts {
  rowsRead: number;
  rowsKept: number;
  timestampFormat: TimestampFormat | undefined;
  validation: Record<string, number>;
  exampleAt: [string, number[]][];
  firstAt: [string, number][];
  unknownKinds: [string, number][];
}

/** Maximum examples kept per rule. */
export const MAX_EXAMPLES = 20;

/** Rules that never fail a strict read: they keep the row or apply a retention policy. */
const NEVER_STRICT = new Set(['unknown_event_kind', 'too_old', 'zero_weight']);

/**
 * Counts rule hits and keeps examples; in strict mode throws on the first hit of a rule that
 * drops a row. Malformed rows fail unless `skipBad`, whatever `strict` says.
 */
export class ReportBuilder {
  readonly validation: Record<string, number> = {};
  /** Row (or line) numbers of each rule's first examples, formatted by finish(). */
  private readonly exampleAt = new Map<string, number[]>();
  readonly unknownKinds = new Map<string, number>();
  /** Row (or line) of each rule's first hit: examples are listed in that order. */
  private readonly firstAt = new Map<string, number>();
  rowsRead = 0;
  rowsKept = 0;
  timestampFormat?: TimestampFormat;
  delimiter?: string;
  columns?: Record<string, string | null>;
  private readonly parts: { file: string; base: number }[] = [];
  private readonly started = performance.now();

  constructor(
    readonly file: string,
    readonly format: IngestReport['format'],
    readonly locationKind: LocationKind,
    rules: readonly string[],
    private readonly strict: boolean,
    private readonly skipBad: boolean,
  ) {
    for (const r of rules) this.validation[r] = 0;
  }

  /** `file:line` (or `file:row n`) of a row. */
  where(n: number): string {
    const at = this.locate(n);
    return formatLocation(at.file, this.locationKind, at.n);
  }

  /**
   * Starts the next file of a multi-file input (a directory of part files): numbers above `base`
   * belong to it, and are reported as `part:(n − base)`.
   */
  beginPart(file: string, base: number): void {
    this.parts.push({ file, base });
  }

  /** The file and its own line or row of a (possibly multi-file) number. */
  locate(n: number): { file: string; n: number } {
    for (let p = this.parts.length - 1; p >= 0; p--) if (n > this.parts[p].base) return { file: this.parts[p].file, n: n - this.parts[p].base };
    return { file: this.file, n };
  }

  /** A malformed row: throws `file:line: message` unless skipBad, else counts it. */
  malformed(n: number, message: string): void {
    this.bad('malformed_row', n, message);
  }

  /** A row that cannot be used under `rule`: fails like a malformed row unless skipBad. */
  bad(rule: string, n: number, message: string): void {
    if (!this.skipBad) throw this.error(n, message, rule);
    this.count(rule, n);
  }

  /**
   * A rule dropped (or flagged) a row. In strict mode rules that drop rows throw
   * `file:line: rule: details`; `details` is only built then.
   */
  violation(rule: string, n: number, details?: () => string): void {
    if (this.strict && !NEVER_STRICT.has(rule)) {
      const d = details ? `: ${details()}` : '';
      throw this.error(n, `${rule}${d}`, rule);
    }
    this.count(rule, n);
  }

  private error(n: number, message: string, rule: string): IngestError {
    const at = this.locate(n);
    return new IngestError(`${formatLocation(at.file, this.locationKind, at.n)}: ${message}`, at.file, at.n, rule);
  }

  /** A kept row whose event kind was not known. */
  unknownKind(name: string, n: number): void {
    this.count('unknown_event_kind', n);
    this.unknownKinds.set(name, (this.unknownKinds.get(name) ?? 0) + 1);
  }

  private count(rule: string, n: number): void {
    const c = (this.validation[rule] ?? 0) + 1;
    this.validation[rule] = c;
    if (c === 1) this.firstAt.set(rule, n);
    if (c > MAX_EXAMPLES) return;
    const at = this.exampleAt.get(rule);
    if (at) at.push(n);
    else this.exampleAt.set(rule, [n]);
  }

  /** What this report counted, as plain data another thread can send (see absorb). */
  counts(): ReportCounts {
    return {
      rowsRead: this.rowsRead,
      rowsKept: this.rowsKept,
      timestampFormat: this.timestampFormat,
      validation: { ...this.validation },
      exampleAt: [...this.exampleAt],
      firstAt: [...this.firstAt],
      unknownKinds: [...this.unknownKinds],
    };
  }

  /**
   * Adds what another report counted over the rows that follow this one's (a later byte range of
   * the same file, read on another thread), its numbers shifted by `base`: counts add up, and this
   * report's examples and first hits come first.
   */
  absorb(other: ReportCounts, base: number): void {
    this.rowsRead += other.rowsRead;
    this.rowsKept += other.rowsKept;
    this.timestampFormat ??= other.timestampFormat;
    const firstAt = new Map(other.firstAt);
    const examples = new Map(other.exampleAt);
    for (const [rule, c] of Object.entries(other.validation)) {
      if (c === 0) continue;
      const had = this.validation[rule] ?? 0;
      this.validation[rule] = had + c;
      if (had === 0) this.firstAt.set(rule, base + firstAt.get(rule)!);
      const at = this.exampleAt.get(rule) ?? [];
      for (const n of examples.get(rule) ?? []) if (at.length < MAX_EXAMPLES) at.push(base + n);
      if (at.length > 0) this.exampleAt.set(rule, at);
    }
    for (const [name, c] of other.unknownKinds) this.unknownKinds.set(name, (this.unknownKinds.get(name) ?? 0) + c);
  }

  finish(): IngestReport {
    const report: IngestReport = {
      file: this.file,
      format: this.format,
      rowsRead: this.rowsRead,
      rowsKept: this.rowsKept,
      seconds: (performance.now() - this.started) / 1000,
      validation: { ...this.validation },
      // Rules in the order of their first hit in the file, also when some were counted late
      // (duplicates are found after the whole file is read).
      examples: Object.fromEntries(
        [...this.exampleAt]
          .sort((a, b) => (this.firstAt.get(a[0]) ?? 0) - (this.firstAt.get(b[0]) ?? 0))
          .map(([k, v]) => [k, v.map((n) => this.where(n))]),
      ),
    };
    if (this.delimiter !== undefined) report.delimiter = this.delimiter;
    if (this.timestampFormat !== undefined) report.timestampFormat = this.timestampFormat;
    if (this.columns !== undefined) report.columns = { ...this.columns };
    if (this.parts.length > 0) report.parts = this.parts.map((p) => p.file);
    if (this.validation.unknown_event_kind !== undefined) {
      report.unknownKinds = Object.fromEntries(this.unknownKinds);
    }
    return report;
  }
}
