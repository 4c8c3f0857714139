/** Arrow IPC (file or stream format, e.g. `.arrow`, `.feather`, `.ipc`) event logs. */
import { open, type FileHandle } from 'node:fs/promises';
import * as arrow from 'apache-arrow';
import { writeFileAtomic } from '../util/atomic.js';
import { IngestError } from './errors.js';
import { checkInputFile } from './input-file.js';
import { eventLogToArrowTable } from './events-table.js';
import type { ReadEventsOptions } from './events-options.js';
import { EVENT_RULES, ReportBuilder, type IngestReport } from './ingest-report.js';
import { ArrowEventSink, arrowEventColumns } from './read-events-arrow.js';
import type { EventLog } from '../types.js';

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads an Arrow IPC event log batch by batch from the open file (random access for the file
 * format), so memory holds one record batch at a time besides the log.
 */
export async function readEventsArrow(file: string, opts: ReadEventsOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  const report = new ReportBuilder(file, 'arrow', 'row', EVENT_RULES, opts.strict ?? false, opts.skipBad ?? false);
  await checkInputFile(file);
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new IngestError(`${file}: cannot open: ${reason(err)}`, file);
  }
  try {
    let reader: arrow.AsyncRecordBatchFileReader | arrow.AsyncRecordBatchStreamReader;
    try {
      reader = (await arrow.RecordBatchReader.from(fh)) as arrow.AsyncRecordBatchFileReader | arrow.AsyncRecordBatchStreamReader;
      await reader.open();
      if (!reader.schema) throw new Error('no schema');
    } catch (err) {
      throw new IngestError(`${file}: not a readable Arrow IPC file (truncated or corrupt?): ${reason(err)}`, file);
    }
    const fieldNames = reader.schema.fields.map((f) => f.name);
    // Arrow IPC metadata does not give the row count up front: the log grows batch by batch.
    const sink = new ArrowEventSink(file, opts, report, arrowEventColumns(file, fieldNames, opts), 1024);
    let rows = 0;
    for (;;) {
      let next: IteratorResult<arrow.RecordBatch>;
      try {
        next = await reader.next();
      } catch (err) {
        throw new IngestError(`${file}: batch after row ${rows}: cannot read (truncated or corrupt?): ${reason(err)}`, file);
      }
      if (next.done) break;
      sink.addBatch(next.value);
      rows += next.value.numRows;
    }
    if (rows === 0 && !opts.allowEmpty) throw new IngestError(`${file}: no data rows`, file);
    return { log: sink.finish(), report: report.finish() };
  } finally {
    await fh.close();
  }
}

/** Writes an EventLog as an Arrow IPC file, atomically. */
export async function writeEventsArrow(log: EventLog, file: string): Promise<void> {
  await writeFileAtomic(file, arrow.tableToIPC(eventLogToArrowTable(log), 'file'));
}
