/**
 * Piscina worker of the weekly job: runs one shard of users on the shared tables and, when asked,
 * encodes its output rows (CSV/JSONL bytes or Arrow IPC) and archive lines, so the main thread
 * only writes bytes. Results travel back by transfer, not copy. The id dictionaries arrive once
 * per worker (workerData); the runner (re-ranker buffers, HNSW index) lives as long as the worker.
 */
import { Piscina, workerData } from 'piscina';
import { runShardTask, type ShardTask, type WorkerNames, type WorkerResult } from './shard-task.js';
import { ShardRunner } from './shard.js';

export type { ShardTask, WorkerNames, WorkerResult } from './shard-task.js';

const runner = new ShardRunner();

export default async function run(task: ShardTask): Promise<unknown> {
  const r = await runShardTask(runner, task, workerData as WorkerNames | undefined);
  return Piscina.move({ [Piscina.transferableSymbol]: transferables(r), [Piscina.valueSymbol]: r } as never);
}

/** The distinct (non-shared) buffers of a result. */
function transferables(r: WorkerResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of [r.users, r.items, r.scores, r.reason, r.refA, r.refB, r.count, r.encoded?.bytes, r.archiveBytes]) {
    if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  }
  return [...out];
}
