/**
 * What a command read and made of it: the ingest line and JSON (from the data stage) and, for
 * event logs, what the signals stage made of them.
 */
export { formatIngestLine, ingestJson, type IngestJson } from '../data/ingest-summary.js';
import { decayWarnings, type SignalsReport } from '../signals/report.js';

/** The signals stage in a line (plus a warning when all or most evidence has decayed to almost nothing). */
export function formatSignalsLines(r: SignalsReport, asOfDefaulted: boolean): string[] {
  const t = r.totals;
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `signals as of ${r.asOf}${asOfDefaulted ? ' (after the last event)' : ''}: ${n(t.entries)} entries ` +
      `(${n(t.positive_entries)} positive, ${n(t.negative_entries)} negative)` +
      `${t.future > 0 ? `, ${n(t.future)} later events left out` : ''}, ${t.not_human_accounts} accounts judged not human`,
  ];
  return [...lines, ...decayWarnings(r)];
}
