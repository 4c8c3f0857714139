/** Ingest: listening logs and play counts from CSV/TSV, Parquet and Arrow into typed columns. */
export { Dictionary } from './dictionary.js';
export { buildCsr, type CsrMatrix } from './csr.js';
export { transposeCsr } from './csr-transpose.js';
export { IngestError, MissingColumnError, formatLocation } from './errors.js';
export {
  EVENT_RULES,
  COUNT_RULES,
  MAX_EXAMPLES,
  type EventRule,
  type CountRule,
  type IngestReport,
} from './ingest-report.js';
export { type ReadEventsOptions, DEFAULT_MIN_EPOCH_MS } from './events-options.js';
export { readEvents, eventFileFormat } from './read-events.js';
export { readUserIds, type ReadUserIdsOptions } from './read-user-ids.js';
export { readEventRecords, type EventRecord, type ReadRecordsOptions } from './read-event-records.js';
export { readEventsCsv } from './read-events-csv.js';
export { readEventsParquet, writeEventsParquet, type ParquetCompression, type WriteParquetOptions } from './parquet.js';
export { readEventsArrow, writeEventsArrow } from './arrow-ipc.js';
export { writeEventsCsv } from './write-events-csv.js';
export { eventLogToArrowTable } from './events-table.js';
export { eventWindow, eventsAt } from './event-window.js';
export { readCounts, type ReadCountsOptions, type Counts } from './read-counts.js';
export { countsToInteractions } from './interactions.js';
export { countsToInteractionsAsync } from './interactions-off-thread.js';
export {
  readDelimited,
  type DelimitedOptions,
  type DelimitedRow,
  type DelimitedSink,
  type DelimitedSummary,
  type HeaderInfo,
} from './csv-reader.js';
export { parseNumberBytes, isBlank } from './parse-number.js';
export { parseIsoBytes, detectEpochUnit, numericToMs, TextTimestampParser, type TimestampFormat } from './timestamps.js';
export { ByteInterner } from './byte-interner.js';
export * from './catalog.js';
