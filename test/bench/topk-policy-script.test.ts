import { describe, expect, it } from 'vitest';
import { benchJson } from './run-script.js';

describe('bench/topk-policy.ts (smoke)', () => {
  it('times the float kernel, the per-call pre-filter and prepared items for each user count', () => {
    const args = ['--items', '3000', '--factors', '16', '--n', '10', '--users', '1,40', '--runs', '2'];
    const out = benchJson('topk-policy', args);
    expect(out).toMatchObject({ items: 3000, factors: 16, n: 10, runs: 2 });
    expect(out.rows.map((row: { users: number }) => row.users)).toEqual([1, 40]);
    for (const row of out.rows) {
      for (const key of ['floatMs', 'int8Ms', 'preparedMs']) expect(row[key]).toBeGreaterThan(0);
      for (const key of ['int8Ratio', 'preparedRatio']) expect(row[key]).toBeGreaterThan(0);
    }
  });
});
