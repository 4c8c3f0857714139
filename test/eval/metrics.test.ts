import { describe, expect, it } from 'vitest';
import { accuracyAtK } from '../../src/eval/metrics.js';
import { rowsOf } from './fixtures.js';

// 3 users, 10 items. u0 holds out {1, 3, 5}; u1 holds out nothing; u2 holds out {2}.
const test = rowsOf(10, [[1, 3, 5], [], [2]]);
const users = Int32Array.from([0, 1, 2]);
// width 4; u0 hits at ranks 1 and 3 with an empty 4th slot; u2 repeats item 2 (counted once).
const recs = Int32Array.from([3, 0, 5, -1, 1, 2, 3, 4, 7, 2, 2, 9]);
const L2 = 1 / Math.log2(3); // 0.63093

describe('accuracyAtK', () => {
  it('matches hand-computed values at K = width', () => {
    const r = accuracyAtK(recs, 4, users, test, 4);
    expect(r.evaluated).toBe(2);
    expect(r.excluded).toBe(1); // u1 has no test items
    expect(Array.from(r.evaluatedRows)).toEqual([0, 2]);
    // u0: hits 2 of K 4 → 0.5;   u2: 1 of 4 → 0.25
    expect(Array.from(r.perUser.precision)).toEqual([0.5, 0.25]);
    // recall = hits/|test|: u0 2/3, u2 1/1
    expect(r.perUser.recall[0]).toBeCloseTo(2 / 3, 12);
    expect(r.perUser.recall[1]).toBe(1);
    // capped: hits/min(|test|,K): u0 2/3, u2 1
    expect(r.perUser.recallCapped[0]).toBeCloseTo(2 / 3, 12);
    // AP u0 = (P@1·1 + P@3·1)/min(3,4) = (1 + 2/3)/3 = 5/9;  u2 = (P@2)/1 = 1/2
    expect(r.perUser.map[0]).toBeCloseTo(5 / 9, 12);
    expect(r.perUser.map[1]).toBeCloseTo(0.5, 12);
    // NDCG u0 = (1 + 1/log2 4) / (1 + 1/log2 3 + 1/log2 4) = 1.5 / 2.13093
    expect(r.perUser.ndcg[0]).toBeCloseTo(1.5 / (1 + L2 + 0.5), 12);
    // u2: the hit is at rank 2, ideal has it at rank 1: (1/log2 3)/1
    expect(r.perUser.ndcg[1]).toBeCloseTo(L2, 12);
    expect(Array.from(r.perUser.hitRate)).toEqual([1, 1]);
    expect(Array.from(r.perUser.mrr)).toEqual([1, 0.5]);
    expect(r.mean.precision).toBeCloseTo(0.375, 12);
    expect(r.mean.mrr).toBeCloseTo(0.75, 12);
  });

  it('reads prefixes at smaller K', () => {
    const r = accuracyAtK(recs, 4, users, test, 2);
    // u0 [3, 0]: 1 hit; u2 [7, 2]: 1 hit
    expect(Array.from(r.perUser.precision)).toEqual([0.5, 0.5]);
    expect(r.perUser.recall[0]).toBeCloseTo(1 / 3, 12);
    expect(r.perUser.recallCapped[0]).toBeCloseTo(1 / 2, 12); // 1 / min(3, 2)
    expect(r.perUser.map[0]).toBeCloseTo(1 / 2, 12); // P@1 / min(3, 2)
    expect(r.perUser.ndcg[0]).toBeCloseTo(1 / (1 + L2), 12); // ideal: 2 hits in 2 slots
    expect(r.perUser.ndcg[1]).toBeCloseTo(L2, 12);
  });

  it('treats K beyond the list width as empty slots', () => {
    const r = accuracyAtK(recs, 4, users, test, 6);
    expect(r.perUser.precision[0]).toBeCloseTo(2 / 6, 12); // denominator is K
    expect(r.perUser.precision[1]).toBeCloseTo(1 / 6, 12);
    expect(r.perUser.recall[0]).toBeCloseTo(2 / 3, 12);
    expect(r.perUser.map[0]).toBeCloseTo(5 / 9, 12); // min(3, 6) = 3 as at K = 4
    expect(r.perUser.ndcg[0]).toBeCloseTo(1.5 / (1 + L2 + 0.5), 12);
  });

  it('gives zeros for a list of only −1 and NaN means when nobody has test items', () => {
    const empty = accuracyAtK(new Int32Array([-1, -1]), 2, Int32Array.from([2]), test, 2);
    expect(empty.mean.precision).toBe(0);
    expect(empty.mean.ndcg).toBe(0);
    expect(empty.mean.mrr).toBe(0);
    const none = accuracyAtK(new Int32Array([1, 2]), 2, Int32Array.from([1]), test, 2);
    expect(none.evaluated).toBe(0);
    expect(none.excluded).toBe(1);
    expect(none.mean.precision).toBeNaN();
  });

  it('rejects malformed input naming the argument', () => {
    expect(() => accuracyAtK(new Int32Array(3), 2, Int32Array.from([0, 1]), test, 2)).toThrow(/recs: has 3 slots/);
    expect(() => accuracyAtK(Int32Array.from([10, -1]), 2, Int32Array.from([0]), test, 2)).toThrow(/item 10/);
    expect(() => accuracyAtK(Int32Array.from([1, -1]), 2, Int32Array.from([7]), test, 2)).toThrow(/users\[0\] = 7/);
    expect(() => accuracyAtK(Int32Array.from([1, -1]), 2, Int32Array.from([0]), test, 0)).toThrow(/k must be/);
  });
});
