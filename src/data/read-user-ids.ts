/**
 * The distinct user ids of an event log, read from its user column alone: for `mixtape reveal`,
 * which needs the raw ids and nothing else. Reading the whole log for them held every column of
 * every event (1.68 GB at 21 M events); this holds the ids and one chunk or row group of the one
 * column. Every row that names a user counts, whatever its other fields say: a row that breaks a
 * rule (a future timestamp, a duplicate) still shows the id exists, and more ids only let more
 * tokens be mapped back. Rows that cannot be split, empty ids and ids that are not UTF-8 are
 * passed over.
 */
import { stat } from 'node:fs/promises';
import type * as arrow from 'apache-arrow';
import { readDelimited, type DelimitedRow, type HeaderInfo } from './csv-reader.js';
import { ByteInterner } from './byte-interner.js';
import { Dictionary } from './dictionary.js';
import { requireColumn } from './find-column.js';
import { commonFormat, partFilesOf } from './part-files.js';
import { eventFileFormat } from './read-events.js';
import { BATCH_ROWS_PER_TURN, parquetRowsOf, readBatches, type ColumnarFormat } from './columnar-batches.js';
import { IdColumn, IdTarget, MISSING_KEY, UNRESOLVED } from './arrow-id-column.js';
import { ParquetDecoder } from './parquet-decoder.js';
import type { NumberedIds } from './id-numbering.js';
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
  if (format === 'csv') await delimitedUserIds(parts, want, users, o.onProgress);
  else await columnarUserIds(parts, format, want, users, o.onProgress);
  return users.ids;
}

async function delimitedUserIds(parts: readonly string[], want: string, users: Dictionary, onProgress?: OnReadProgress): Promise<void> {
  const interner = new ByteInterner(users);
  // A part that cannot be stat'ed counts 0 here: readDelimited's own input check names it.
  const sizes = onProgress ? await Promise.all(parts.map((p) => stat(p).then((st) => st.size, () => 0))) : [];
  const total = sizes.reduce((a, b) => a + b, 0);
  let before = 0;
  for (const [i, part] of parts.entries()) {
    let col = -1;
    await readDelimited(
      part,
      {
        header(info: HeaderInfo): void {
          col = requireColumn(part, info.names, want);
        },
        row(r: DelimitedRow): void {
          const s = r.start[col];
          const e = r.end[col];
          if (e > s) interner.internBytes(r.bytes, s, e); // an id that is not UTF-8 is passed over
        },
        malformed(): void {
          // A row that cannot be split names no user for certain.
        },
      },
      { allowEmpty: true, ...(onProgress ? { onRead: (bytes: number) => onProgress({ done: before + bytes, total, unit: 'bytes' }) } : {}) },
    );
    before += sizes[i] ?? 0;
  }
}

async function columnarUserIds(parts: readonly string[], format: ColumnarFormat, want: string, users: Dictionary, onProgress?: OnReadProgress): Promise<void> {
  const target = new IdTarget(users);
  const total = onProgress && format === 'parquet' ? await parquetRowsOf(parts) : undefined;
  let done = 0;
  let column: IdColumn | undefined;
  let name = '';
  // One decoding thread for all Parquet parts, and one IdColumn: its numbering runs across them.
  const decoder = format === 'parquet' && parts.length > 1 ? ParquetDecoder.start() : undefined;
  try {
    for (const part of parts) {
      await readBatches(
        part,
        format,
        {
          columns(names: string[]): string[] {
            name = names[requireColumn(part, names, want)];
            column ??= new IdColumn(part, name, target);
            return [name];
          },
          numberedIds: (): string[] => [name],
          async batch(b: arrow.RecordBatch, ids?: Readonly<Record<string, NumberedIds | null>>): Promise<void> {
            const child = b.getChild(name);
            if (!child || b.numRows === 0) return;
            column!.load(child.data[0], ids?.[name]);
            await internRows(column!, b.numRows);
            done += b.numRows;
            onProgress?.({ done, total, unit: 'rows' });
          },
        },
        decoder,
      );
    }
  } finally {
    await decoder?.close();
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
