/**
 * Piscina pools of the engine: a fixed number of threads, BLAS pinned to one thread per worker
 * (with threads of its own inside each worker it gets slower), and the worker module found by
 * workerFile (compiled twin under tsx/vitest).
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import { applyWorkerCompiles } from './worker-compiles.js';
import { WORKER_MODULE_ENV, workerFile } from './worker-file.js';

export function defaultThreads(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

/**
 * One task on a thread of its own, which goes when the task is done (the off-thread stages of a
 * service's call). Buffers in `transfer` move to the thread, and are freed when it ends.
 */
export async function runOnWorker(callerUrl: string, name: string, task: unknown, transfer: readonly ArrayBuffer[] = []): Promise<unknown> {
  const [result] = await runOnThreads(callerUrl, name, 1, (pool) => [pool.run(task, transfer.length > 0 ? { transferList: [...transfer] } : {})]);
  return result;
}

/**
 * The tasks `start` runs on a pool of `threads` threads of their own, which end when every task
 * is done (or one fails): what the tasks leave on their threads is freed then, not at some later
 * collection.
 */
export async function runOnThreads(callerUrl: string, name: string, threads: number, start: (pool: Piscina) => Promise<unknown>[]): Promise<unknown[]> {
  const pool = createWorkerPool(callerUrl, name, threads);
  try {
    return await Promise.all(start(pool));
  } finally {
    await pool.destroy();
  }
}

/** Threads a pool starts at most per core of the machine. */
export const MAX_THREADS_PER_CORE = 4;

/**
 * The threads a pool asked for `threads` starts: at most MAX_THREADS_PER_CORE per core. Work is
 * split by the number asked (results do not depend on it), and no task waits for another, so a
 * pool smaller than the split only queues; `--threads 500` on two cores started 500 threads (4.5 GB
 * and 30 s for a matrix of three entries).
 */
export function poolThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  return Math.min(threads, MAX_THREADS_PER_CORE * defaultThreads());
}

/** A pool running the module `name` beside `callerUrl`; `workerData` is copied once into each worker. */
export function createWorkerPool(callerUrl: string, name: string, threads: number, workerData?: unknown): Piscina {
  const n = poolThreads(threads);
  const { filename, module, execArgv } = workerFile(callerUrl, name);
  applyWorkerCompiles();
  return new Piscina({
    filename,
    minThreads: n,
    maxThreads: n,
    idleTimeout: 60_000,
    execArgv,
    ...(workerData !== undefined ? { workerData } : {}),
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', [WORKER_MODULE_ENV]: module },
  });
}
