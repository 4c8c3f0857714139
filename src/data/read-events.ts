/** readEvents: an event log from CSV/TSV, Parquet or Arrow IPC, chosen by extension. */
import path from 'node:path';
import { readEventsArrow } from './arrow-ipc.js';
import type { ReadEventsOptions } from './events-options.js';
import type { IngestReport } from './ingest-report.js';
import { readEventsParquet } from './parquet.js';
import { readEventsCsv, readEventsCsvParts } from './read-events-csv.js';
import { readEventsColumnarParts } from './read-events-arrow.js';
import { commonFormat, partFilesOf } from './part-files.js';
import type { EventLog } from '../types.js';

/** The format of a file by its extension: `.parquet`/`.pq`, `.arrow`/`.feather`/`.ipc`, else text. */
export function eventFileFormat(file: string): 'csv' | 'parquet' | 'arrow' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc' || ext === '.arrows') return 'arrow';
  return 'csv';
}

/**
 * Reads an event log: a file, or a directory of part files read as one log (see part-files.ts).
 * Rows breaking a validation rule are dropped and counted in the report
 * (or fail in strict mode); malformed rows fail unless `skipBad`.
 */
export async function readEvents(file: string, opts: ReadEventsOptions = {}): Promise<{ log: EventLog; report: IngestReport }> {
  const parts = await partFilesOf(file);
  if (parts) {
    const format = opts.format ?? commonFormat(file, parts, eventFileFormat);
    return format === 'csv' ? readEventsCsvParts(file, parts, opts) : readEventsColumnarParts(file, parts, format, opts);
  }
  switch (opts.format ?? eventFileFormat(file)) {
    case 'parquet':
      return readEventsParquet(file, opts);
    case 'arrow':
      return readEventsArrow(file, opts);
    default:
      return readEventsCsv(file, opts);
  }
}
