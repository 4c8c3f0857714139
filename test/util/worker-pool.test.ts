import { afterEach, describe, expect, it } from 'vitest';
import type { Piscina } from 'piscina';
import { createWorkerPool, defaultThreads, MAX_THREADS_PER_CORE, poolThreads } from '../../src/util/worker-pool.js';
import { workerFile } from '../../src/util/worker-file.js';

const here = new URL('./fixtures/caller.js', import.meta.url).href;
const pools: Piscina[] = [];
function pool(name: string, threads = 2): Piscina {
  const p = createWorkerPool(here, name, threads);
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.destroy()));
});

describe('worker pools', () => {
  it('load the worker through the CommonJS entry, which imports the named module', () => {
    const f = workerFile(here, 'square-worker');
    expect(f.filename).toMatch(/worker-entry\.c[jt]s$/);
    expect(f.module).toMatch(/fixtures\/square-worker\.js$/);
  });

  it('run tasks on every thread and return the worker default export results', async () => {
    const p = pool('square-worker');
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => p.run({ n })));
    expect(results.map((r) => r.square)).toEqual([1, 4, 9, 16, 25, 36]);
    expect(results[0].module).toBe(workerFile(here, 'square-worker').module);
  });

  it('pass on the error a task throws', async () => {
    await expect(pool('square-worker').run({ n: 7, fail: true })).rejects.toThrow('asked to fail on 7');
  });

  it('report the error of a worker module that fails to load, on its first task', async () => {
    await expect(pool('broken-worker', 1).run({ n: 1 })).rejects.toThrow('broken worker failed to load');
  });

  it('reject a thread count that is not a positive integer', () => {
    expect(() => createWorkerPool(here, 'square-worker', 0)).toThrow(RangeError);
  });

  it('start at most four threads a core, however many are asked, and still run every task', async () => {
    const cap = MAX_THREADS_PER_CORE * defaultThreads();
    expect(poolThreads(1)).toBe(1);
    expect(poolThreads(cap)).toBe(cap);
    expect(poolThreads(500)).toBe(Math.min(500, cap));
    const p = pool('square-worker', 10_000);
    expect(p.options.maxThreads).toBe(cap);
    const results = await Promise.all(Array.from({ length: 3 * cap }, (_, n) => p.run({ n })));
    expect(results.map((r) => r.square)).toEqual(Array.from({ length: 3 * cap }, (_, n) => n * n));
  });
});
