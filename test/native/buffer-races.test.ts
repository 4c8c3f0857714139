// Typed-array memory that changes under the native core: a getter transferring a buffer during
// argument parsing, indices rewritten after validation while an async call waits, and buffers
// transferred while an async call is pending. Each case runs in its own node (--expose-gc, one
// libuv pool thread kept busy so the queued kernel runs after the change); before the fixes these
// were use-after-free or out-of-bounds writes that crashed the process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { nativeAddonPath } from '../../src/native/index.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'buffer-races.cjs');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function run(name: string): any {
  const r = spawnSync(process.execPath, ['--expose-gc', fixture, nativeAddonPath(), name], {
    encoding: 'utf8',
    env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
    timeout: 60_000,
  });
  expect(r.signal, `${name}: killed by ${r.signal}\n${r.stderr}`).toBeNull();
  expect(r.status, `${name}: exit ${r.status}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

describe('typed arrays changing under the native core', () => {
  it('a getter that transfers a buffer during parsing gives a TypeError naming it (sync)', () => {
    expect(run('als-sync-getter')).toEqual({
      ok: false,
      name: 'TypeError',
      message: 'alsHalfStep: Y is a view over a detached ArrayBuffer',
    });
    expect(run('topk-sync-getter')).toEqual({
      ok: false,
      name: 'TypeError',
      message: 'scoreTopK: V is a view over a detached ArrayBuffer',
    });
  });

  it('indices, offsets and values changed after an async call use what was validated', () => {
    const als = run('als-async-indices');
    for (const solver of ['cg', 'cholesky']) expect(als[solver], solver).toEqual({ ok: true, same: true });
    expect(run('topk-async-exclude')).toEqual({ ok: true, value: expect.stringMatching(/^(int8|float)$/), sameItems: true, excludedKept: true });
  });

  it('an output transferred while an async call is pending rejects naming it; inputs were copied', () => {
    expect(run('gram-async-out-detached')).toEqual({
      ok: false,
      name: 'TypeError',
      message: expect.stringMatching(/^gramAsync: out was detached .*SharedArrayBuffer/),
    });
    expect(run('gram-async-input-detached')).toEqual({ ok: true, same: true });
    expect(run('als-async-X-detached')).toMatchObject({ ok: false, name: 'TypeError', message: expect.stringMatching(/^alsHalfStepAsync: X was detached/) });
    expect(run('topk-async-out-detached')).toMatchObject({ ok: false, name: 'TypeError', message: expect.stringMatching(/^scoreTopKAsync: outScores was detached/) });
  });

  it('a worker terminated while its async calls are queued does not take the process down', () => {
    expect(run('worker-terminated-in-flight')).toEqual({ ok: true });
  });

  it('SharedArrayBuffer outputs of async calls are written in place', () => {
    expect(run('gram-async-shared-out')).toEqual({ ok: true, same: true });
  });
});
