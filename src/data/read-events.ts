/** readEvents: an event log from CSV/TSV, Parquet or Arrow IPC, chosen by extension. */
import path from 'node:path';
import { readEventsArrow } from './arrow-ipc.js';
import type { ReadEventsOptions } from './events-options.js';
import type { IngestReport } from './ingest-report.js';
import { readEventsParquet } from './parquet.js';
import { readEventsCsv } from './read-events-csv.js';
import type { EventLog } from '../types.js';

/** The format of a file by its extension: `.parquet`/`.pq`, `.arrow`/`.feather`/`.ipc`, else text. */
export function eventFileFormat(file: string): 'csv' | 'parquet' | 'arrow' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc' || ext === '.arrows') return 'arrow';
  return 'csv';
}

/**
 * Reads an event log. Rows breaking a validation rule are dropped and counted in the report
 * (or fail in strict mode); malformed rows fail unless `skipBad`.
 */
export async function readEvents(file: string, opts: ReadEventsOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  switch (opts.format ?? eventFileFormat(file)) {
    case 'parquet':
      return readEventsParquet(file, opts);
    case 'arrow':
      return readEventsArrow(file, opts);
    default:
      return readEventsCsv(file, opts);
  }
}
