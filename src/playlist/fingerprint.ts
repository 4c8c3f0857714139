/**
 * What must match for an interrupted weekly run to be resumed: every table the job reads (model
 * factors, histories, recent events, exclusions, item features), the settings, the week, the ids
 * that name rows in the output, and how the run is cut and written. A SHA-256 over all of it.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ReasonNames } from './reasons.js';
import type { PlaylistTables, ShardSettings } from './tables.js';

function addValue(h: Hash, key: string, v: unknown): void {
  h.update(`\0${key}:`);
  if (ArrayBuffer.isView(v)) {
    h.update(`${v.constructor.name}[${v.byteLength}]`);
    h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } else if (Array.isArray(v)) {
    h.update(`array[${v.length}]`);
    for (const x of v) h.update(`${x === null ? '\u0001' : String(x)}\u0000`);
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v).sort()) addValue(h, `${key}.${k}`, (v as Record<string, unknown>)[k]);
  } else h.update(JSON.stringify(v) ?? 'undefined');
}

export function weeklyFingerprint(x: {
  tables: PlaylistTables;
  settings: ShardSettings;
  week: string;
  userIds: readonly string[];
  names: ReasonNames;
  shardSize: number;
  output: string | null;
  archive: boolean;
}): string {
  const h = createHash('sha256');
  // The HNSW index directory is a location, not content: the index is checked against the factors.
  const { indexDir: _where, ...settings } = x.settings;
  addValue(h, 'tables', x.tables);
  addValue(h, 'settings', settings);
  addValue(h, 'week', x.week);
  addValue(h, 'userIds', x.userIds);
  addValue(h, 'names', x.names);
  addValue(h, 'plan', { shardSize: x.shardSize, output: x.output, archive: x.archive });
  return h.digest('hex');
}
