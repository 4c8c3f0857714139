import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const poolModule = pathToFileURL(path.join(root, 'dist/src/util/worker-pool.js')).href;
const caller = new URL('./fixtures/caller.js', import.meta.url).href;
const probe = new URL('./fixtures/optimization-worker.js', import.meta.url).href;

const onPool = `
  const pool = createWorkerPool(${JSON.stringify(caller)}, 'optimization-worker', 1);
  const { optimizedAtOnce } = await pool.run({});
  await pool.destroy();
  return optimizedAtOnce;`;
const plainWorkerSource = `Promise.all([import(${JSON.stringify(probe)}), import('node:worker_threads')]).then(([m, t]) => t.parentPort.postMessage(m.default()))`;
const onPlainWorker = `
  const w = new Worker(${JSON.stringify(plainWorkerSource)}, { eval: true });
  const [{ optimizedAtOnce }] = await once(w, 'message');
  await w.terminate();
  return optimizedAtOnce;`;

/**
 * In a fresh process, whether a thread asked to optimize a function concurrently has it
 * optimized when the call returns (the bodies above, run in order; the last one's answer).
 */
function optimizedAtOnce(mode: 'own-thread' | 'background' | undefined, ...bodies: string[]): boolean {
  const script = `
    import { once } from 'node:events';
    import { Worker } from 'node:worker_threads';
    const { createWorkerPool } = await import(${JSON.stringify(poolModule)});
    let answer;
    ${bodies.map((b) => `answer = await (async () => { ${b} })();`).join('\n')}
    console.log(answer);`;
  const env = { ...process.env };
  delete env.MIXTAPE_WORKER_COMPILES;
  if (mode) env.MIXTAPE_WORKER_COMPILES = mode;
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8', env });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout.trim()).toMatch(/^(true|false)$/);
  return run.stdout.trim() === 'true';
}

describe('worker threads', () => {
  it('of a pool optimize hot code on their own thread with MIXTAPE_WORKER_COMPILES=own-thread, so no compile of theirs outlives them', () => {
    expect(optimizedAtOnce('own-thread', onPool)).toBe(true);
  });

  it('of a pool compile in the background by default, or when told so (the probe tells the two apart)', () => {
    expect(optimizedAtOnce(undefined, onPool)).toBe(false);
    expect(optimizedAtOnce('background', onPool)).toBe(false);
  });

  it('started before any pool keep compiling in the background; those started after a pool do not (the setting is per process)', () => {
    expect(optimizedAtOnce('own-thread', onPlainWorker)).toBe(false);
    expect(optimizedAtOnce('own-thread', onPool, onPlainWorker)).toBe(true);
  });

  it('refuse an unknown setting, naming it', () => {
    const env = { ...process.env, MIXTAPE_WORKER_COMPILES: 'sometimes' };
    const script = `const { createWorkerPool } = await import(${JSON.stringify(poolModule)}); createWorkerPool(${JSON.stringify(caller)}, 'optimization-worker', 1);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/MIXTAPE_WORKER_COMPILES must be 'background' or 'own-thread', got 'sometimes'/);
  });
});
