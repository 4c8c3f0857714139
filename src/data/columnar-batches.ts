/**
 * Record batches of a columnar file for the readers built on them (events, counts): Parquet row
 * group by row group with only the columns asked for (decoded on a worker thread, one group
 * ahead: ParquetDecoder), or Arrow IPC batch by batch from the open file. Memory holds a batch or
 * two at a time besides what the consumer keeps.
 */
import { open, type FileHandle } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { IngestError } from './errors.js';
import { errorMessage } from '../util/error-message.js';
import { ParquetDecoder } from './parquet-decoder.js';
import { checkInputFile } from './input-file.js';
import { openFileAsBlob, type OpenFileBlob } from './range-blob.js';

export type ColumnarFormat = 'parquet' | 'arrow';

/**
 * Rows of a batch a reader takes per event-loop turn: a Parquet row group is commonly a million
 * rows, and its new ids each cost a dictionary insert, too long to hold a reading service's loop.
 */
export const BATCH_ROWS_PER_TURN = 1 << 15;

/** What a reader does with a file: choose the columns once the schema is known, then take each batch. */
export interface BatchConsumer {
  /** The columns to read, given the file's column names and its row count (Parquet; undefined for Arrow IPC). */
  columns(fieldNames: string[], rows: number | undefined): string[];
  /** One batch; the next comes once a returned promise settles. The batch's memory is its own. */
  batch(b: arrow.RecordBatch): void | Promise<void>;
}

/**
 * Feed every record batch of `file` to `c`; returns the number of rows read. A Parquet file is
 * decoded on `decoder` when given (the parts of one input share one), else on a thread of its own.
 */
export async function readBatches(file: string, format: ColumnarFormat, c: BatchConsumer, decoder?: ParquetDecoder): Promise<number> {
  // Also keeps a directory away from the Parquet reader, which panics on it outside any promise we hold.
  await checkInputFile(file);
  return format === 'parquet' ? parquetBatches(file, c, decoder) : arrowBatches(file, c);
}

/** Rows of a Parquet file, from its footer (nothing else is read). */
export async function parquetRows(file: string): Promise<number> {
  await checkInputFile(file);
  return withParquet(file, async (pf) => pf.metadata().fileMetadata().numRows());
}

/** Rows of several Parquet files together, from their footers. */
export async function parquetRowsOf(files: readonly string[]): Promise<number> {
  let rows = 0;
  for (const f of files) rows += await parquetRows(f);
  return rows;
}

/** Runs `use` on the open Parquet file, then frees the reader and closes the file. */
async function withParquet<T>(file: string, use: (pf: pw.ParquetFile) => Promise<T>): Promise<T> {
  let opened: OpenFileBlob;
  try {
    opened = await openFileAsBlob(file);
  } catch (err) {
    throw new IngestError(`${file}: cannot open: ${errorMessage(err)}`, file);
  }
  try {
    let pf: pw.ParquetFile;
    try {
      pf = await pw.ParquetFile.fromFile(opened.blob);
    } catch (err) {
      throw new IngestError(`${file}: not a readable Parquet file (truncated or corrupt?): ${errorMessage(err)}`, file);
    }
    try {
      return await use(pf);
    } finally {
      pf.free();
    }
  } finally {
    await opened.close();
  }
}

async function parquetBatches(file: string, c: BatchConsumer, shared?: ParquetDecoder): Promise<number> {
  return ParquetDecoder.withFile(file, shared, async (decoder) => {
    const columns = c.columns(decoder.fields, decoder.rows);
    await decoder.forEachGroup(columns, async (table) => {
      for (const batch of table.batches) await c.batch(batch);
    });
    return decoder.rows;
  });
}

async function arrowBatches(file: string, c: BatchConsumer): Promise<number> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new IngestError(`${file}: cannot open: ${errorMessage(err)}`, file);
  }
  try {
    let reader: arrow.AsyncRecordBatchFileReader | arrow.AsyncRecordBatchStreamReader;
    try {
      reader = (await arrow.RecordBatchReader.from(fh)) as arrow.AsyncRecordBatchFileReader | arrow.AsyncRecordBatchStreamReader;
      await reader.open();
      if (!reader.schema) throw new Error('no schema');
    } catch (err) {
      throw new IngestError(`${file}: not a readable Arrow IPC file (truncated or corrupt?): ${errorMessage(err)}`, file);
    }
    // Arrow IPC metadata does not give the row count up front.
    c.columns(reader.schema.fields.map((f) => f.name), undefined);
    let rows = 0;
    for (;;) {
      let next: IteratorResult<arrow.RecordBatch>;
      try {
        next = await reader.next();
      } catch (err) {
        throw new IngestError(`${file}: batch after row ${rows}: cannot read (truncated or corrupt?): ${errorMessage(err)}`, file);
      }
      if (next.done) break;
      await c.batch(next.value);
      rows += next.value.numRows;
    }
    return rows;
  } finally {
    await fh.close();
  }
}
