import os from 'node:os';
import { Piscina } from 'piscina';

/**
 * The worker pool that runs ALS half-step shards. Workers are compiled JS in a build and the TS
 * source under tsx/vitest; Piscina cannot start a .ts file by itself, so we add tsx's loader there.
 */
export function defaultThreads(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

export function createTrainPool(threads: number): Piscina {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${threads}`);
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url).href;
  return new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
}
