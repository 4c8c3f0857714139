/**
 * Piscina worker of the weekly job: runs one shard of users on the shared tables and, when asked,
 * encodes its output rows (CSV/JSONL bytes or Arrow IPC) and archive lines, so the main thread
 * only writes bytes. Results travel back by transfer, not copy. The id dictionaries arrive once
 * per worker (workerData); the runner (re-ranker buffers, HNSW index) lives as long as the worker.
 */
import { workerData } from 'piscina';
import { movedResult } from '../util/move-result.js';
import { runShardTask, type ShardTask, type WorkerNames } from './shard-task.js';
import { ShardRunner } from './shard.js';

export type { ShardTask, WorkerNames, WorkerResult } from './shard-task.js';

const runner = new ShardRunner();

export default async function run(task: ShardTask): Promise<unknown> {
  const r = await runShardTask(runner, task, workerData as WorkerNames | undefined);
  return movedResult(r, [r.users, r.items, r.scores, r.reason, r.refA, r.refB, r.count, r.encoded?.bytes, r.archiveBytes]);
}
