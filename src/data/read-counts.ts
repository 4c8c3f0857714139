/**
 * Counts ingest: (user, item, weight) triplets from CSV/TSV, e.g. play counts. Duplicates are
 * kept (the caller aggregates); zero weights are dropped and counted; unusable rows fail unless
 * skipBad (then they are counted per rule).
 */
import { ByteInterner, INVALID_UTF8 } from './byte-interner.js';
import { HeldRows } from './held-rows.js';
import { type DelimitedOptions, type DelimitedRow, type HeaderInfo } from './csv-reader.js';
import { Dictionary } from './dictionary.js';
import { IngestError, quoteValue, weightProblem } from './errors.js';
import { MAX_FLOAT32 } from '../util/float32.js';
import { COUNT_RULES, ReportBuilder, type IngestReport } from './ingest-report.js';
import { parseNumberBytes } from './parse-number.js';
import { readCountsColumnar } from './read-counts-arrow.js';
import { countsResult } from './counts-result.js';
import { eventFileFormat } from './read-events.js';
import { commonFormat, partFilesOf, readDelimitedParts } from './part-files.js';
import type { OnReadProgress } from './read-progress.js';
import { optionalColumn, requireColumn } from './find-column.js';

export interface ReadCountsOptions {
  userCol?: string;
  itemCol?: string;
  /**
   * Weight column; without it, a column named weight if there is one, else the file is read as
   * (user, item) pairs counting 1 a row (said on the read line, `columns.weight: null`).
   */
  weightCol?: string;
  /** Count and skip unusable rows (malformed, missing id, negative weight) instead of failing. */
  skipBad?: boolean;
  /** Empty or header-only files give empty counts instead of an error. */
  allowEmpty?: boolean;
  /** Applied to every raw user id before it enters the dictionary. */
  pseudonymize?: (rawUserId: string) => string;
  /** Longest accepted row in bytes (default 64 MiB). */
  maxLineBytes?: number;
  /** Field delimiter; detected from the header when absent. */
  delimiter?: DelimitedOptions['delimiter'];
  /** Called as the read advances (per chunk or record batch). */
  onProgress?: OnReadProgress;
}

export interface Counts {
  users: Dictionary;
  items: Dictionary;
  /** Per row: user index, item index, weight (> 0). */
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  report: IngestReport;
}

const text = new TextDecoder('utf-8');

class CountsSink {
  readonly users = new Dictionary();
  readonly items = new Dictionary();
  private readonly userIds: ByteInterner;
  private readonly itemIds = new ByteInterner(this.items);
  private u = 0;
  private i = 0;
  private w = 0;
  private names: string[] = [];
  /** Rows checked but not yet stored: their ids are looked up a block at a time (see flush). */
  private readonly held = new HeldCounts();
  user = new Int32Array(1024);
  item = new Int32Array(1024);
  weight = new Float32Array(1024);
  length = 0;
  /** Lines of the parts read before this one: a part's line n is reported as lineBase + n. */
  lineBase = 0;
  /** See PartSink.capacityScale. */
  capacityScale = 1;

  constructor(
    /** The file being read (the current part of a directory). */
    public file: string,
    private readonly opts: ReadCountsOptions,
    readonly report: ReportBuilder,
  ) {
    this.userIds = new ByteInterner(this.users, opts.pseudonymize);
  }

  header(info: HeaderInfo): void {
    if (this.names.length > 0) {
      // Later parts of a directory: the first part's columns in the same order.
      if (info.names.join('\u0000') !== this.names.join('\u0000')) throw new IngestError(`${this.file}: columns ${info.names.join(', ')} differ from the first part's (${this.names.join(', ')})`, this.file);
      return;
    }
    this.names = info.names;
    const find = (name: string): number => requireColumn(this.file, info.names, name);
    this.u = find(this.opts.userCol ?? 'user_id');
    this.i = find(this.opts.itemCol ?? 'item_id');
    this.w = optionalColumn(this.file, info.names, this.opts.weightCol, 'weight');
    this.report.columns = { user_id: info.names[this.u], item_id: info.names[this.i], weight: this.w < 0 ? null : info.names[this.w] };
    const cap = Math.max(16, Math.ceil(info.estimatedRows * this.capacityScale));
    this.user = new Int32Array(cap);
    this.item = new Int32Array(cap);
    this.weight = new Float32Array(cap);
  }

  malformed(line: number, message: string): void {
    this.flush();
    this.report.rowsRead++;
    this.report.malformed(this.lineBase + line, message);
  }

  /**
   * Checks a row's weight and ids and holds it for flush. A row that breaks a rule is reported at
   * once, after the rows held before it, so reports keep the file's order.
   */
  row(r: DelimitedRow): void {
    const report = this.report;
    report.rowsRead++;
    const line = this.lineBase + r.line;
    const b = r.bytes;
    const ws = r.start[this.w];
    const we = r.end[this.w];
    // A file of pairs (no weight column): every row counts 1.
    const w = this.w < 0 ? 1 : parseNumberBytes(b, ws, we);
    const us = r.start[this.u];
    const ue = r.end[this.u];
    const is = r.start[this.i];
    const ie = r.end[this.i];
    const ok = w === w && us !== ue && is !== ie && w > 0 && w <= MAX_FLOAT32;
    if (!ok) {
      this.flush();
      if (w !== w) report.malformed(line, `column '${this.names[this.w]}': ${quoteValue(text.decode(b.subarray(ws, we)))} is not a number`);
      else if (us === ue || is === ie) report.bad('missing_id', line, `column '${this.names[us === ue ? this.u : this.i]}' is empty`);
      else if (w === 0) report.violation('zero_weight', line);
      else report.bad('bad_weight', line, `column '${this.names[this.w]}': ${weightProblem(w)}`);
      return;
    }
    const h = this.held;
    if (!h.accepts(b)) this.flush();
    h.weight[h.hold(b, us, ue, is, ie, line)] = w;
  }

  /** Stores the held rows in order; only ids new to their table are interned one by one. */
  flush(): void {
    const h = this.held;
    const count = h.count;
    if (count === 0) return;
    h.lookUp(this.userIds, this.itemIds);
    h.count = 0;
    const report = this.report;
    for (let k = 0; k < count; k++) {
      const u = h.userOf(k, this.userIds);
      const it = u === INVALID_UTF8 ? INVALID_UTF8 : h.itemOf(k, this.itemIds);
      if (it === INVALID_UTF8) {
        report.malformed(h.line[k], `column '${this.names[u === INVALID_UTF8 ? this.u : this.i]}': invalid UTF-8`);
        continue;
      }
      const n = this.length;
      if (n === this.user.length) this.grow();
      this.user[n] = u;
      this.item[n] = it;
      this.weight[n] = h.weight[k];
      this.length = n + 1;
      report.rowsKept++;
    }
  }

  private grow(): void {
    const cap = this.user.length * 2;
    const user = new Int32Array(cap);
    user.set(this.user);
    const item = new Int32Array(cap);
    item.set(this.item);
    const weight = new Float32Array(cap);
    weight.set(this.weight);
    this.user = user;
    this.item = item;
    this.weight = weight;
  }
}

/** Held count rows: the ids' ranges (HeldRows) and the weight. */
class HeldCounts extends HeldRows {
  readonly weight = new Float64Array(this.capacity);
}

/**
 * Reads (user, item, weight) rows from a CSV/TSV file, or from Parquet or Arrow IPC (chosen by the
 * extension, like events); a directory is read as its part files (see part-files.ts).
 */
export async function readCounts(file: string, opts: ReadCountsOptions = {}): Promise<Counts> {
  const parts = (await partFilesOf(file)) ?? [file];
  const multi = parts[0] !== file || parts.length > 1;
  const format = multi ? commonFormat(file, parts, eventFileFormat) : eventFileFormat(file);
  if (format !== 'csv') return readCountsColumnar(file, format, opts, parts);
  const report = new ReportBuilder(file, 'csv', 'line', COUNT_RULES, false, opts.skipBad ?? false);
  const sink = new CountsSink(parts[0], opts, report);
  const delimited: DelimitedOptions = { allowEmpty: opts.allowEmpty ?? false };
  if (opts.maxLineBytes !== undefined) delimited.maxLineBytes = opts.maxLineBytes;
  if (opts.delimiter !== undefined) delimited.delimiter = opts.delimiter;
  await readDelimitedParts(file, parts, sink, report, delimited, opts.onProgress);
  return countsResult(sink, report.finish());
}
