/** Arrow IPC (file or stream format, e.g. `.arrow`, `.feather`, `.ipc`) event logs. */
import * as arrow from 'apache-arrow';
import { writeFileAtomic } from '../util/atomic.js';
import { eventLogToArrowTable } from './events-table.js';
import type { ReadEventsOptions } from './events-options.js';
import type { IngestReport } from './ingest-report.js';
import { readEventsColumnar } from './read-events-arrow.js';
import type { EventLog } from '../types.js';

/**
 * Reads an Arrow IPC event log batch by batch from the open file (random access for the file
 * format), so memory holds one record batch at a time besides the log.
 */
export async function readEventsArrow(file: string, opts: ReadEventsOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  return readEventsColumnar(file, 'arrow', opts);
}

/** Writes an EventLog as an Arrow IPC file, atomically. */
export async function writeEventsArrow(log: EventLog, file: string): Promise<void> {
  await writeFileAtomic(file, arrow.tableToIPC(eventLogToArrowTable(log), 'file'));
}
