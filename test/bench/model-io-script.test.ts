import { describe, expect, it } from 'vitest';
import { benchJson } from './run-script.js';

describe('bench/model-io.ts (smoke)', () => {
  it('saves and loads a model several times and prints the seconds and the size', () => {
    const args = ['--users', '2000', '--items', '500', '--nnz', '20000', '--factors', '8', '--runs', '2'];
    const out = benchJson('model-io', args);
    expect(out).toMatchObject({ users: 2000, items: 500, nnz: 20000, factors: 8 });
    expect(out.all_save_seconds).toHaveLength(2);
    expect(out.all_load_seconds).toHaveLength(2);
    expect(out.save_seconds).toBeGreaterThan(0);
    expect(out.save_stall_seconds).toBeGreaterThanOrEqual(0);
    expect(out.load_seconds).toBeGreaterThan(0);
    expect(out.all_load_on_caller_seconds).toHaveLength(2);
    expect(out.load_stall_seconds).toBeGreaterThanOrEqual(0);
    expect(out.load_on_caller_stall_seconds).toBeGreaterThan(0);
    // At least the factors' bytes: 2,500 rows × 8 float32.
    expect(out.model_bytes).toBeGreaterThan(2500 * 8 * 4);
    expect(out.peak_rss_mb).toBeGreaterThan(0);
  });
});
