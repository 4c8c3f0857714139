import { describe, expect, it } from 'vitest';
import { benchJson } from './run-script.js';

describe('bench/train-setup.ts (smoke)', () => {
  it('sets up training several times and prints the seconds and the longest stall', () => {
    const out = benchJson('train-setup', ['--users', '3000', '--items', '400', '--nnz', '30000', '--factors', '8', '--runs', '2']);
    expect(out).toMatchObject({ users: 3000, items: 400, entries: 30000, factors: 8, runs: 2 });
    expect(out.all_seconds).toHaveLength(2);
    expect(out.seconds.median).toBeGreaterThan(0);
    expect(out.longest_stall_ms.median).toBeGreaterThanOrEqual(0);
    expect(out.same_initial_factors).toBe(true);
    for (const key of ['counts_to_interactions', 'counts_to_interactions_async']) {
      expect(out[key].seconds.median, key).toBeGreaterThan(0);
      expect(out[key].longest_stall_ms.median, key).toBeGreaterThanOrEqual(0);
    }
    expect(out.peak_rss_mb).toBeGreaterThan(0);
  });
});
