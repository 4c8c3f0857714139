/**
 * countsToInteractions on a worker thread: the CSR build sorts every triplet (about a second per
 * 10 M rows), which a service that trains in-process would feel as one stall of its event loop.
 * The columns go to the worker in shared memory (copied a slice per turn unless they already are
 * shared); the matrix comes back moved, not copied.
 */
import type { Interactions } from '../types.js';
import type { CountTriplets, InteractionsMatrix } from './interactions.js';
import { runOnWorker } from '../util/worker-pool.js';
import { inSharedMemory } from '../util/shared-memory.js';

/** The triplets as the worker gets them: shared columns and the dictionaries' sizes. */
export interface CountsTask {
  users: number;
  items: number;
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
}

/** The same matrix as countsToInteractions, bit for bit, built off the caller's thread. */
export async function countsToInteractionsAsync(counts: CountTriplets): Promise<Interactions> {
  const task: CountsTask = {
    users: counts.users.size,
    items: counts.items.size,
    user: await inSharedMemory(counts.user),
    item: await inSharedMemory(counts.item),
    weight: await inSharedMemory(counts.weight),
  };
  const m = (await runOnWorker(import.meta.url, 'interactions-worker', task)) as InteractionsMatrix;
  return { users: counts.users, items: counts.items, ...m };
}
