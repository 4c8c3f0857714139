/** The weekly job's worker pool (see workerFile for how the worker module is found). */
import { Piscina } from 'piscina';
import { workerFile } from '../util/worker-file.js';

/** `workerData` (e.g. the id dictionaries) is copied once into each worker. */
export function createPlaylistPool(threads: number, workerData?: unknown): Piscina {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  const { filename, execArgv } = workerFile(import.meta.url, 'worker');
  return new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    execArgv,
    workerData,
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
}
