/**
 * What reading an input did, for every command that reads raw files: one line for the terminal
 * and a compact object for --json, so a --skip-bad run says what it dropped and how it read the
 * timestamps.
 */
import type { IngestReport } from './ingest-report.js';
import { describeTimestampFormat, type TimestampFormat } from './timestamps.js';

/**
 * Rows read and kept, how timestamps were read, optional event columns whose absence changes what
 * rows mean, and the rules that fired with their counts and first example.
 */
export function formatIngestLine(r: IngestReport): string {
  const fired = Object.entries(r.validation).filter(([, n]) => n > 0);
  const time = r.timestampFormat ? `; timestamps: ${describeTimestampFormat(r.timestampFormat)}` : '';
  const parts = r.parts ? ` (${r.parts.length} part file${r.parts.length === 1 ? '' : 's'})` : '';
  const head = `read ${r.file}${parts}: ${r.rowsRead.toLocaleString('en-US')} rows, ${r.rowsKept.toLocaleString('en-US')} kept${time}${missingColumnNotes(r)}`;
  if (fired.length === 0) return head;
  const first = Object.values(r.examples)[0]?.[0];
  return `${head}; ${fired.map(([rule, n]) => `${rule} ${n.toLocaleString('en-US')}`).join(', ')}${first ? ` (first at ${first})` : ''}${unknownKindNote(r)}`;
}

/** The most frequent unknown event names: kept as `other` unless mapped onto a kind. */
function unknownKindNote(r: IngestReport): string {
  const kinds = Object.entries(r.unknownKinds ?? {}).sort((a, b) => b[1] - a[1]);
  if (kinds.length === 0) return '';
  const shown = kinds.slice(0, 3).map(([name, n]) => `${name === '' ? '(empty)' : `'${name}'`} ${n.toLocaleString('en-US')}`);
  const more = kinds.length > 3 ? ` and ${kinds.length - 3} more` : '';
  return `; unknown event kinds ${shown.join(', ')}${more} kept as other (map them with --event-aliases, e.g. ${kinds.find(([name]) => name !== '')?.[0] ?? 'name'}=play)`;
}

/**
 * A file without an event column is read as plays only, one without ms_played as fully heard
 * plays, and a counts file without a weight column as pairs counting 1 each: said on the read
 * line, so a column named differently (event_type, plays) is not silently lost.
 */
function missingColumnNotes(r: IngestReport): string {
  const c = r.columns;
  if (!c) return '';
  if (c.weight === null) return '; no weight column: every row counts 1 (name it with --weight-col)';
  if (c.event === null) return `; no event column: every row is a play${c.ms_played === null ? ' heard in full' : ''} (name it with --event-col)`;
  if (c.ms_played === null) return '; no ms_played column: plays count as heard in full (name it with --ms-played-col)';
  return '';
}

export interface IngestJson {
  file: string;
  /** Part files read when the input is a directory. */
  parts?: number;
  rows_read: number;
  rows_kept: number;
  /** How the timestamps were read (events): iso8601, epoch_s|ms|us|ns, timestamp_s|ms|us|ns. */
  timestamp_format?: TimestampFormat;
  /** Events: the file's column read per schema role, null for an optional role it lacks. */
  columns?: Record<string, string | null>;
  validation: Record<string, number>;
}

export function ingestJson(r: IngestReport): IngestJson {
  return {
    file: r.file,
    ...(r.parts ? { parts: r.parts.length } : {}),
    rows_read: r.rowsRead,
    rows_kept: r.rowsKept,
    ...(r.timestampFormat ? { timestamp_format: r.timestampFormat } : {}),
    ...(r.columns ? { columns: { ...r.columns } } : {}),
    validation: { ...r.validation },
  };
}
