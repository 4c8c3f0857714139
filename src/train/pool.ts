import os from 'node:os';
import { Piscina } from 'piscina';
import { workerFile } from '../util/worker-file.js';

/** The worker pool that runs ALS half-step shards (see workerFile for how the module is found). */
export function defaultThreads(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

export function createTrainPool(threads: number): Piscina {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  const { filename, execArgv } = workerFile(import.meta.url, 'worker');
  return new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    execArgv,
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
}
