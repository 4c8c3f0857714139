/**
 * What reading an input did, for commands that read raw files (train, weekly): one line for the
 * terminal and a compact object for --json, so a --skip-bad run reports what it dropped; and for
 * event logs, what the signals stage made of them.
 */
import type { IngestReport } from '../data/index.js';
import { describeTimestampFormat, type TimestampFormat } from '../data/timestamps.js';
import { staleWarning, type SignalsReport } from '../signals/report.js';

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

/** The signals stage in a line (plus a warning when all evidence has decayed to almost nothing). */
export function formatSignalsLines(r: SignalsReport, asOfDefaulted: boolean): string[] {
  const t = r.totals;
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `signals as of ${r.asOf}${asOfDefaulted ? ' (after the last event)' : ''}: ${n(t.entries)} entries ` +
      `(${n(t.positive_entries)} positive, ${n(t.negative_entries)} negative)` +
      `${t.future > 0 ? `, ${n(t.future)} later events left out` : ''}, ${t.not_human_accounts} accounts judged not human`,
  ];
  if (r.decay.stale) lines.push(staleWarning(r));
  return lines;
}
