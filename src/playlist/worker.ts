/**
 * Piscina worker of the weekly job: runs one shard of users on the shared tables and, when asked,
 * encodes its output rows (CSV/JSONL text or Arrow IPC) and archive lines, so the main thread only
 * writes. The id dictionaries arrive once per worker (workerData); the runner (re-ranker buffers,
 * HNSW index) lives as long as the worker.
 */
import { workerData } from 'piscina';
import { archiveLines } from './archive.js';
import { encodeRows, type EncodedRows, type OutputFormat } from './output.js';
import type { ReasonNames } from './reasons.js';
import { toBatch } from './rows.js';
import { ShardRunner, type ShardResult } from './shard.js';
import type { PlaylistTables, ShardSettings } from './tables.js';

export interface ShardTask {
  tables: PlaylistTables;
  settings: ShardSettings;
  begin: number;
  end: number;
  encode?: { format?: OutputFormat; week: string; archive: boolean };
}

export interface WorkerNames {
  userIds: readonly string[];
  names: ReasonNames;
}

export interface WorkerResult extends ShardResult {
  encoded?: EncodedRows;
  archiveText?: string;
}

const runner = new ShardRunner();

export default async function run(task: ShardTask): Promise<WorkerResult> {
  await runner.prepare(task.tables, task.settings);
  const users = new Int32Array(task.end - task.begin);
  for (let i = 0; i < users.length; i++) users[i] = task.begin + i;
  const r: WorkerResult = runner.run(task.tables, task.settings, users);
  const e = task.encode;
  const names = workerData as WorkerNames | undefined;
  if (e && names && (e.format || e.archive)) {
    const batch = toBatch(r, names.userIds, names.names);
    if (e.format) r.encoded = encodeRows(batch, e.week, e.format);
    if (e.archive) r.archiveText = archiveLines(batch);
  }
  return r;
}
