/**
 * The distinct user ids of an event log, read from its user column alone: for `mixtape reveal`,
 * which needs the raw ids and nothing else. Reading the whole log for them held every column of
 * every event (1.68 GB at 21 M events); this holds the ids and one chunk or row group of the one
 * column. Every row that names a user counts, whatever its other fields say: a row that breaks a
 * rule (a future timestamp, a duplicate) still shows the id exists, and more ids only let more
 * tokens be mapped back. Rows that cannot be split, empty ids and ids that are not UTF-8 are
 * passed over.
 */
import type * as arrow from 'apache-arrow';
import type { DelimitedRow, HeaderInfo } from './csv-reader.js';
import { ByteInterner } from './byte-interner.js';
import { Dictionary } from './dictionary.js';
import { requireColumn } from './find-column.js';
import { commonFormat, partFilesOf, readBatchParts, readDelimitedParts, type BatchPartSink, type PartSink } from './part-files.js';
import { eventFileFormat } from './read-events.js';
import { BATCH_ROWS_PER_TURN } from './columnar-batches.js';
import { IdColumn, IdTarget, MISSING_KEY, UNRESOLVED } from './arrow-id-column.js';
import { ReportBuilder } from './ingest-report.js';
import type { OnReadProgress } from './read-progress.js';
import { nextTurn } from '../util/turns.js';

export interface ReadUserIdsOptions {
  /** The user id column (default `user_id`; matched as readEvents matches it). */
  userCol?: string;
  /** File format; chosen from the extension (of the parts, for a directory) when absent. */
  format?: 'csv' | 'parquet' | 'arrow';
  /** Called as the read advances: bytes of text, rows of Parquet (per chunk or batch). */
  onProgress?: OnReadProgress;
}

/** Distinct user ids of an event log (a file or a directory of part files), in order of first appearance. */
export async function readUserIds(file: string, o: ReadUserIdsOptions = {}): Promise<readonly string[]> {
  const parts = (await partFilesOf(file)) ?? [file];
  const format = o.format ?? commonFormat(file, parts, eventFileFormat);
  const want = o.userCol ?? 'user_id';
  const users = new Dictionary();
  // The part readers keep a report of where each part begins; no rule is judged here.
  const report = new ReportBuilder(file, format, format === 'csv' ? 'line' : 'row', [], false, true);
  if (format === 'csv') {
    await readDelimitedParts(file, parts, new DelimitedUserIds(parts[0], want, users), report, { allowEmpty: true }, o.onProgress);
  } else {
    const open = (part: string, names: readonly string[]): ColumnarUserIds => new ColumnarUserIds(part, names[requireColumn(part, names, want)], users);
    await readBatchParts(file, parts, format, report, open, { allowEmpty: true, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  }
  return users.ids;
}

/** The user column of delimited parts, each id interned from its bytes. */
class DelimitedUserIds implements PartSink {
  lineBase = 0;
  capacityScale = 1;
  private col = -1;
  private readonly interner: ByteInterner;

  constructor(
    public file: string,
    private readonly want: string,
    users: Dictionary,
  ) {
    this.interner = new ByteInterner(users);
  }

  header(info: HeaderInfo): void {
    this.col = requireColumn(this.file, info.names, this.want);
  }

  row(r: DelimitedRow): void {
    const s = r.start[this.col];
    const e = r.end[this.col];
    if (e > s) this.interner.internBytes(r.bytes, s, e); // an id that is not UTF-8 is passed over
  }

  malformed(): void {
    // A row that cannot be split names no user for certain.
  }
}

/** The user column of Parquet or Arrow parts, through the decoding thread's numbering for Parquet. */
class ColumnarUserIds implements BatchPartSink {
  rowsDone = 0;
  private readonly column: IdColumn;

  constructor(
    public file: string,
    private readonly name: string,
    users: Dictionary,
  ) {
    this.column = new IdColumn(file, name, new IdTarget(users));
  }

  get columnNames(): string[] {
    return [this.name];
  }

  async addBatch(b: arrow.RecordBatch): Promise<void> {
    const child = b.getChild(this.name);
    if (child && b.numRows > 0) {
      this.column.load(child.data[0]);
      await internRows(this.column, b.numRows);
    }
    this.rowsDone += b.numRows;
  }
}

/** Resolves every row's id of the loaded chunk, a slice of rows per event-loop turn. */
async function internRows(column: IdColumn, n: number): Promise<void> {
  for (let from = 0; from < n; from += BATCH_ROWS_PER_TURN) {
    if (from > 0) await nextTurn();
    const to = Math.min(n, from + BATCH_ROWS_PER_TURN);
    column.lookUpRows(from, to);
    const keys = column.keys;
    for (let i = from; i < to; i++) {
      const k = keys[i];
      // An id that is not UTF-8 resolves to INVALID_UTF8 and is passed over.
      if (k !== MISSING_KEY && column.cache[k] === UNRESOLVED) column.resolve(k);
    }
  }
}
