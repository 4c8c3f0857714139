import { describe, expect, it } from 'vitest';
import { benchJson } from './run-script.js';

describe('bench/signals-speed.ts (smoke)', () => {
  it('times the orderings against the counting-sort chain and the whole stage, on the caller\'s thread and off it, medians of the runs', () => {
    const out = benchJson('signals-speed', ['--events', '200000', '--users', '20000', '--tracks', '5000', '--runs', '2']);
    expect(out).toMatchObject({ events: 200000, users: 20000, tracks: 5000, days: 56, runs: 2 });
    for (const key of ['order_by_user_track_day', 'build_csr']) {
      for (const side of ['radix', 'counting_sort_chain', 'counting_sort'].filter((s) => s in out[key])) {
        const t = out[key][side];
        expect(t.min, `${key}.${side}`).toBeLessThanOrEqual(t.median);
        expect(t.median, `${key}.${side}`).toBeLessThanOrEqual(t.max);
      }
      expect(out[key].speedup).toBeGreaterThan(0);
    }
    expect(out.compute_signals.events_per_s).toBeGreaterThan(0);
    expect(out.compute_signals_async.median).toBeGreaterThan(0);
    for (const key of ['compute_signals', 'compute_signals_async']) expect(out[key].longest_stall.median, key).toBeGreaterThanOrEqual(0);
    expect(out.peak_rss_mb).toBeGreaterThan(0);
  });
});
