import { describe, expect, it } from 'vitest';
import { benchJson } from './run-script.js';

describe('bench/transpose.ts (smoke)', () => {
  it('times the blocked transpose, its parts on the pool and the one-pass one, and finds the same matrix', () => {
    const out = benchJson('transpose', ['--events', '200000', '--users', '5000', '--tracks', '3000', '--runs', '2']);
    expect(out).toMatchObject({ events: 200000, rows: 5000, cols: 3000, threads: 2, runs: 2, same: true });
    expect(out.entries).toBeGreaterThan(150000);
    for (const key of ['blocked', 'parallel', 'one_pass']) expect(out[key].median, key).toBeGreaterThan(0);
    expect(out.speedup).toBeGreaterThan(0);
    expect(out.speedup_threads).toBeGreaterThan(0);
  });
});
