/**
 * The sink of a CSV/TSV counts read: checks each row's weight and ids, holds rows so their ids are
 * looked up a block at a time, and stores what passes. A byte range of the file read on another
 * thread has a sink of its own, whose rows, ids and counts the reading thread's sink takes in file
 * order (absorbRange).
 */
import { ByteInterner, INVALID_UTF8 } from './byte-interner.js';
import { HeldRows } from './held-rows.js';
import type { DelimitedRow, HeaderInfo } from './csv-reader.js';
import { Dictionary } from './dictionary.js';
import { IngestError, quoteValue, weightProblem } from './errors.js';
import { MAX_FLOAT32 } from '../util/float32.js';
import type { ReportBuilder, ReportCounts } from './ingest-report.js';
import { parseNumberBytes } from './parse-number.js';
import { optionalColumn, requireColumn } from './find-column.js';
import { releasePages } from '../native/index.js';
import type { ReadCountsOptions } from './read-counts.js';

/** Rows absorbRange copies before it gives the pages they came from back. */
const ABSORB_CHUNK = 1 << 21;

/** What a range's sink stored and counted, as plain data (CountsSink.rangeRows). */
export interface CountsRange {
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  /** The range's dictionaries, ids in order of first appearance in the range (users not pseudonymised). */
  users: readonly string[];
  items: readonly string[];
  counts: ReportCounts;
}

const text = new TextDecoder('utf-8');

export class CountsSink {
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

  /** What this (range's) sink stored and counted, for absorbRange on the reading thread. */
  rangeRows(): CountsRange {
    const n = this.length;
    return { user: this.user.subarray(0, n), item: this.item.subarray(0, n), weight: this.weight.subarray(0, n), users: this.users.ids, items: this.items.ids, counts: this.report.counts() };
  }

  /** Every range follows the rows before it as a read on one thread would: counts have no per-file format. */
  continues(): boolean {
    return true;
  }

  /**
   * Takes the rows after this sink's (a range read on another thread), as if its rows had come
   * here: its ids join the dictionaries in the range's order of first appearance (users
   * pseudonymised here), its lines are shifted by `base` (lines before the range in this part).
   * The range is spent: its pages go back to the system as they are copied.
   */
  absorbRange(r: CountsRange, base: number): void {
    this.flush();
    const userMap = this.users.internAll(r.users, this.opts.pseudonymize);
    const itemMap = this.items.internAll(r.items);
    const m = r.user.length;
    while (this.length + m > this.user.length) this.grow();
    const n = this.length;
    for (let c = 0; c < m; c += ABSORB_CHUNK) {
      const e = Math.min(m, c + ABSORB_CHUNK);
      for (let i = c; i < e; i++) {
        this.user[n + i] = userMap[r.user[i]];
        this.item[n + i] = itemMap[r.item[i]];
      }
      this.weight.set(r.weight.subarray(c, e), n + c);
      for (const col of [r.user, r.item, r.weight]) releasePages(col.subarray(c, e));
    }
    this.length = n + m;
    this.report.absorb(r.counts, this.lineBase + base);
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

