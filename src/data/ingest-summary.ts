/**
 * What reading an input did, for every command that reads raw files: one line for the terminal
 * and a compact object for --json, so a --skip-bad run says what it dropped and how it read the
 * timestamps.
 */
import type { IngestReport } from './ingest-report.js';
import { describeTimestampFormat, type TimestampFormat } from './timestamps.js';

/** Rows read and kept, how timestamps were read, and the rules that fired with their counts and first example. */
export function formatIngestLine(r: IngestReport): string {
  const fired = Object.entries(r.validation).filter(([, n]) => n > 0);
  const time = r.timestampFormat ? `; timestamps: ${describeTimestampFormat(r.timestampFormat)}` : '';
  const head = `read ${r.file}: ${r.rowsRead.toLocaleString('en-US')} rows, ${r.rowsKept.toLocaleString('en-US')} kept${time}`;
  if (fired.length === 0) return head;
  const first = Object.values(r.examples)[0]?.[0];
  return `${head}; ${fired.map(([rule, n]) => `${rule} ${n.toLocaleString('en-US')}`).join(', ')}${first ? ` (first at ${first})` : ''}`;
}

export interface IngestJson {
  file: string;
  rows_read: number;
  rows_kept: number;
  /** How the timestamps were read (events): iso8601, epoch_s|ms|us|ns, timestamp_s|ms|us|ns. */
  timestamp_format?: TimestampFormat;
  validation: Record<string, number>;
}

export function ingestJson(r: IngestReport): IngestJson {
  return {
    file: r.file,
    rows_read: r.rowsRead,
    rows_kept: r.rowsKept,
    ...(r.timestampFormat ? { timestamp_format: r.timestampFormat } : {}),
    validation: { ...r.validation },
  };
}
