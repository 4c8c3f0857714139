/**
 * Piscina worker of the weekly job: runs one shard of users on the shared tables. The runner
 * (re-ranker buffers, HNSW index) lives as long as the worker.
 */
import { ShardRunner, type ShardResult } from './shard.js';
import type { PlaylistTables, ShardSettings } from './tables.js';

export interface ShardTask {
  tables: PlaylistTables;
  settings: ShardSettings;
  begin: number;
  end: number;
}

const runner = new ShardRunner();

export default async function run(task: ShardTask): Promise<ShardResult> {
  await runner.prepare(task.tables, task.settings);
  const users = new Int32Array(task.end - task.begin);
  for (let i = 0; i < users.length; i++) users[i] = task.begin + i;
  return runner.run(task.tables, task.settings, users);
}
