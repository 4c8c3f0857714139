/**
 * Counts (user, item, weight) from a Parquet or Arrow IPC file — e.g. play counts aggregated by a
 * Spark job — with the same columns, rules and report as the CSV reader: ids column-wise into
 * dictionary keys, the weight as numbers, then one row loop over typed arrays.
 */
import type * as arrow from 'apache-arrow';
import { numbersInto } from './arrow-columns.js';
import { IdColumn, IdTarget, MISSING_KEY, UNRESOLVED } from './arrow-id-column.js';
import { INVALID_UTF8 } from './byte-interner.js';
import { BATCH_ROWS_PER_TURN, type ColumnarFormat } from './columnar-batches.js';
import { readBatchParts } from './part-files.js';
import { Dictionary } from './dictionary.js';
import { weightProblem } from './errors.js';
import { MAX_FLOAT32 } from '../util/float32.js';
import { COUNT_RULES, ReportBuilder } from './ingest-report.js';
import { countsResult } from './counts-result.js';
import type { Counts, ReadCountsOptions } from './read-counts.js';
import { inSlicesPerTurn, turnAfterIo } from '../util/turns.js';
import { optionalColumn, requireColumn } from './find-column.js';

/** The file's column for `wanted`, by the CSV reader's rule (requireColumn). */
function columnOf(file: string, names: readonly string[], wanted: string): string {
  return names[requireColumn(file, names, wanted)];
}

class ArrowCountsSink {
  readonly users = new Dictionary();
  readonly items = new Dictionary();
  private readonly userIds: IdColumn;
  private readonly itemIds: IdColumn;
  private w = new Float64Array(0);
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  length = 0;
  /** Rows of all batches so far (of every part): row numbers continue across parts. */
  rowsDone = 0;

  constructor(
    /** The file being read (the current part of a directory). */
    public file: string,
    private readonly report: ReportBuilder,
    /** weight null: a file of pairs, every row counting 1. */
    private readonly cols: { user: string; item: string; weight: string | null },
    rowsHint: number,
    pseudonymize?: (id: string) => string,
  ) {
    this.userIds = new IdColumn(file, cols.user, new IdTarget(this.users, pseudonymize));
    this.itemIds = new IdColumn(file, cols.item, new IdTarget(this.items));
    const cap = Math.max(16, rowsHint);
    this.user = new Int32Array(cap);
    this.item = new Int32Array(cap);
    this.weight = new Float32Array(cap);
  }

  /** The columns read (the projection). */
  get columnNames(): string[] {
    return this.cols.weight === null ? [this.cols.user, this.cols.item] : [this.cols.user, this.cols.item, this.cols.weight];
  }

  private chunk(batch: arrow.RecordBatch, name: string): arrow.Data {
    const child = batch.getChild(name);
    if (!child) throw new Error(`${this.file}: column '${name}' missing from a record batch`);
    return child.data[0];
  }

  /** Takes a batch as the event reader does: its columns in one event-loop turn, its rows BATCH_ROWS_PER_TURN per turn. */
  async addBatch(batch: arrow.RecordBatch): Promise<void> {
    const n = batch.numRows;
    if (n === 0) return;
    await turnAfterIo();
    if (this.w.length < n) this.w = new Float64Array(n);
    const { cols } = this;
    if (cols.weight === null) this.w.fill(1, 0, n);
    else numbersInto(this.file, cols.weight, this.chunk(batch, cols.weight), this.w);
    this.userIds.load(this.chunk(batch, cols.user));
    this.itemIds.load(this.chunk(batch, cols.item));
    const base = this.rowsDone;
    this.report.rowsRead += n;
    await inSlicesPerTurn(
      n,
      BATCH_ROWS_PER_TURN,
      (from, to) => {
        // Plain string ids are looked up a slice at a time too (see IdColumn.lookUpRows).
        this.userIds.lookUpRows(from, to);
        this.itemIds.lookUpRows(from, to);
        this.takeRows(from, to, base);
      },
      true,
    );
    this.rowsDone += n;
  }

  /** Rows [from, to) of the converted batch, whose first row is row base + 1 of the input. */
  private takeRows(from: number, to: number, base: number): void {
    const { cols, report, w } = this;
    const users = this.userIds;
    const items = this.itemIds;
    for (let i = from; i < to; i++) {
      const row = base + i + 1;
      const uk = users.keys[i];
      const ik = items.keys[i];
      const x = w[i];
      if (x !== x) {
        report.malformed(row, `column '${cols.weight}' is null`);
        continue;
      }
      if (uk === MISSING_KEY || ik === MISSING_KEY) {
        report.bad('missing_id', row, `column '${uk === MISSING_KEY ? cols.user : cols.item}' is empty`);
        continue;
      }
      if (!(x >= 0 && x <= MAX_FLOAT32)) {
        report.bad('bad_weight', row, `column '${cols.weight}': ${weightProblem(x)}`);
        continue;
      }
      if (x === 0) {
        report.violation('zero_weight', row);
        continue;
      }
      let u = users.cache[uk];
      if (u === UNRESOLVED) u = users.resolve(uk);
      let it = u === INVALID_UTF8 ? INVALID_UTF8 : items.cache[ik];
      if (it === UNRESOLVED) it = items.resolve(ik);
      if (it === INVALID_UTF8) {
        report.malformed(row, `column '${u === INVALID_UTF8 ? cols.user : cols.item}': invalid UTF-8`);
        continue;
      }
      this.push(u, it, x);
      report.rowsKept++;
    }
  }

  private push(u: number, it: number, x: number): void {
    const n = this.length;
    if (n === this.user.length) {
      const cap = n * 2;
      const grow = <T extends Int32Array | Float32Array>(a: T, make: (c: number) => T): T => {
        const b = make(cap);
        b.set(a);
        return b;
      };
      this.user = grow(this.user, (c) => new Int32Array(c));
      this.item = grow(this.item, (c) => new Int32Array(c));
      this.weight = grow(this.weight, (c) => new Float32Array(c));
    }
    this.user[n] = u;
    this.item[n] = it;
    this.weight[n] = x;
    this.length = n + 1;
  }
}

/** Reads (user, item, weight) rows from a Parquet or Arrow IPC file, or from its part files. */
export async function readCountsColumnar(file: string, format: ColumnarFormat, opts: ReadCountsOptions = {}, parts: readonly string[] = [file]): Promise<Counts> {
  const report = new ReportBuilder(file, format, 'row', COUNT_RULES, false, opts.skipBad ?? false);
  const sink = await readBatchParts(file, parts, format, report, (part, names, rowsHint) => {
    const w = optionalColumn(part, names, opts.weightCol, 'weight');
    const cols = { user: columnOf(part, names, opts.userCol ?? 'user_id'), item: columnOf(part, names, opts.itemCol ?? 'item_id'), weight: w < 0 ? null : names[w] };
    report.columns = { user_id: cols.user, item_id: cols.item, weight: cols.weight };
    return new ArrowCountsSink(part, report, cols, rowsHint, opts.pseudonymize);
  }, opts);
  return countsResult(sink!, report.finish());
}
