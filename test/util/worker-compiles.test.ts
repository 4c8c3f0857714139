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
function optimizedAtOnce(...bodies: string[]): boolean {
  const script = `
    import { once } from 'node:events';
    import { Worker } from 'node:worker_threads';
    const { createWorkerPool } = await import(${JSON.stringify(poolModule)});
    let answer;
    ${bodies.map((b) => `answer = await (async () => { ${b} })();`).join('\n')}
    console.log(answer);`;
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout.trim()).toMatch(/^(true|false)$/);
  return run.stdout.trim() === 'true';
}

describe('worker threads', () => {
  it('of a pool optimize hot code on their own thread, so no compile of theirs outlives them', () => {
    expect(optimizedAtOnce(onPool)).toBe(true);
  });

  it('started before any pool keep compiling in the background (the probe tells the two apart)', () => {
    expect(optimizedAtOnce(onPlainWorker)).toBe(false);
  });

  it('started after a pool compile on their own thread too: the setting is per process', () => {
    expect(optimizedAtOnce(onPool, onPlainWorker)).toBe(true);
  });
});
