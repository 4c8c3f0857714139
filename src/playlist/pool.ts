/** The weekly job's worker pool. */
import type { Piscina } from 'piscina';
import { createWorkerPool } from '../util/worker-pool.js';

/** `workerData` (e.g. the id dictionaries) is copied once into each worker. */
export function createPlaylistPool(threads: number, workerData?: unknown): Piscina {
  return createWorkerPool(import.meta.url, 'worker', threads, workerData);
}
