/** The Counts a reader returns: its columns cut to the rows kept. */
import type { Dictionary } from './dictionary.js';
import type { IngestReport } from './ingest-report.js';
import type { Counts } from './read-counts.js';

export interface CountsColumns {
  users: Dictionary;
  items: Dictionary;
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
  length: number;
}

export function countsResult(s: CountsColumns, report: IngestReport): Counts {
  const n = s.length;
  return {
    users: s.users,
    items: s.items,
    user: s.user.length === n ? s.user : s.user.slice(0, n),
    item: s.item.length === n ? s.item : s.item.slice(0, n),
    weight: s.weight.length === n ? s.weight : s.weight.slice(0, n),
    report,
  };
}
