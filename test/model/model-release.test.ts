// A dropped model must be collected with its matrices. Prepared items (the item factors quantized
// for top-k) hold their matrix from native code, so a cache entry reachable from that matrix kept
// every warmed model alive for good; a service that reloads its model would grow without bound.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const fixture = path.resolve(import.meta.dirname, 'fixtures', 'model-release.mjs');
const dist = path.resolve(import.meta.dirname, '../../dist');

describe('a warmed model that is dropped', () => {
  it('is collected with its item factors, prepared items and all', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', fixture, dist], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ collected: true });
  });
});
