import type { Piscina } from 'piscina';
import { createWorkerPool } from '../util/worker-pool.js';

/** The worker pool that runs ALS half-step shards. */
export function createTrainPool(threads: number): Piscina {
  return createWorkerPool(import.meta.url, 'worker', threads);
}
