import { describe, expect, it } from 'vitest';
import { mostPopular } from '../../src/eval/baselines.js';
import { compareOutcomes, evaluateRanker, evaluateRankerAsync } from '../../src/eval/evaluate.js';
import { accuracyAtK } from '../../src/eval/metrics.js';
import type { Ranker } from '../../src/eval/ranker.js';
import { interactionRows } from '../../src/eval/sparse.js';
import { interactions, rowsOf } from './fixtures.js';

// Train: u0 {0,1}, u1 {0,2}, u2 {0}, u3 {1}; item 3 only as a negative of u3.
const train = interactions(4, 5, [[0, 0], [0, 1], [1, 0], [1, 2], [2, 0], [3, 1], [3, 3, 0]]);
// Test: u0 {2}, u1 {1, 4}, u2 {}, u3 {0}
const test = rowsOf(5, [[2], [1, 4], [], [0]]);

/** A ranker returning fixed lists, to pin the driver's arithmetic. */
const fixed: Ranker = {
  name: 'fixed',
  recommend(users, k) {
    const lists: Record<number, number[]> = { 0: [2, 3, 4], 1: [4, 3, 1], 3: [2, 4, 0] };
    const out = new Int32Array(users.length * k).fill(-1);
    users.forEach((u, r) => lists[u].slice(0, k).forEach((i, s) => (out[r * k + s] = i)));
    return out;
  },
};

describe('evaluateRanker', () => {
  it('gives the same outcome when the lists come from the pool path (evaluateRankerAsync)', async () => {
    // A ranker whose pool path returns the same lists as its synchronous one, so only the driver differs.
    const pooled: Ranker = { name: 'pooled', recommend: fixed.recommend, recommendAsync: async (u, k, e) => fixed.recommend(u, k, e) };
    const opts = { ks: [1, 3], bootstrap: { iterations: 100 } };
    const strip = (o: ReturnType<typeof evaluateRanker>) => ({ ...o, result: { ...o.result, seconds: null } });
    expect(strip(await evaluateRankerAsync(pooled, { train, test }, opts, 2))).toEqual(strip(evaluateRanker(pooled, { train, test }, opts)));
    expect(strip(await evaluateRankerAsync(fixed, { train, test }, opts))).toEqual(strip(evaluateRanker(fixed, { train, test }, opts)));
    await expect(evaluateRankerAsync(fixed, { train, test }, { ks: [] })).rejects.toThrow(/ks must be positive/);
  });

  it('scores prefixes of one list per user and excludes users without test items', () => {
    const o = evaluateRanker(fixed, { train, test }, { ks: [1, 3], bootstrap: { iterations: 100 } });
    expect(Array.from(o.users)).toEqual([0, 1, 3]);
    expect(o.result.usersEvaluated).toBe(3);
    expect(o.result.usersExcluded).toBe(1); // u2
    expect(o.width).toBe(3);
    // @1: u0 [2] hit, u1 [4] hit, u3 [2] miss → precision 2/3
    expect(o.result.atK[0].precision.mean).toBeCloseTo(2 / 3, 12);
    // @3: hits u0 1, u1 2, u3 1 → precision (1 + 2 + 1)/9; recall (1 + 1 + 1)/3
    expect(o.result.atK[1].precision.mean).toBeCloseTo(4 / 9, 12);
    expect(o.result.atK[1].recall.mean).toBeCloseTo(1, 12);
    const direct = accuracyAtK(o.recommendations, 3, o.users, test, 3);
    expect(Array.from(o.perUser['ndcg@3'])).toEqual(Array.from(direct.perUser.ndcg));
    // coverage @3: {2,3,4,1,0} = 5 of 5; @1: {2,4} = 2 of 5
    expect(o.result.atK[1].catalogCoverage).toBeCloseTo(1, 12);
    expect(o.result.atK[0].catalogCoverage).toBeCloseTo(0.4, 12);
    // novelty: training listeners i0 3, i1 2, i2 1, i3 0 (only a negative), i4 0; nUsers 4
    // @1 lists [2], [4], [2]: −log2(1/4) = 2 each → 2
    expect(o.result.atK[0].novelty).toBeCloseTo(2, 12);
    expect(o.result.atK[0].intraListDiversity).toBeNull();
    const json = JSON.parse(JSON.stringify(o.result));
    expect(json.atK[1].k).toBe(3);
    expect(json.atK[1].precision.low).toBeLessThanOrEqual(json.atK[1].precision.mean);
  });

  it('evaluates a requested user list and counts its users without test items', () => {
    const o = evaluateRanker(mostPopular(interactionRows(train)), { train, test, users: Int32Array.from([0, 2, 3]) }, { ks: [2] });
    expect(Array.from(o.users)).toEqual([0, 3]);
    expect(o.result.usersExcluded).toBe(1);
    // Popularity order i0 (3), i1 (2), i2 (1), i3, i4; u0 heard {0,1} → [2, 3]; u3 heard {1, 3} → [0, 2]
    expect(Array.from(o.recommendations)).toEqual([2, 3, 0, 2]);
    expect(o.result.atK[0].hitRate.mean).toBe(1);
    // the popularity reference shows the same lists, so nothing is serendipitous
    expect(o.result.atK[0].serendipity?.mean).toBe(0);
  });

  it('compares outcomes only on the same users and rejects bad input', () => {
    const a = evaluateRanker(fixed, { train, test }, { ks: [3] });
    const b = evaluateRanker(mostPopular(interactionRows(train)), { train, test }, { ks: [3] });
    const same = compareOutcomes(a, a, 'ndcg', 3);
    expect(same.significant).toBe(false);
    expect(compareOutcomes(a, b, 'precision', 3).users).toBe(3);
    expect(() => compareOutcomes(a, b, 'ndcg', 10)).toThrow(/ndcg@10/);
    const c = evaluateRanker(fixed, { train, test, users: Int32Array.from([0, 1]) }, { ks: [3] });
    expect(() => compareOutcomes(a, c, 'ndcg', 3)).toThrow(/different users/);
    expect(() => evaluateRanker(fixed, { train, test: rowsOf(4, [[1]]) })).toThrow(/test is 1×4/);
    const broken: Ranker = { name: 'broken', recommend: (users, k) => new Int32Array(users.length * k).fill(9) };
    expect(() => evaluateRanker(broken, { train, test }, { ks: [2] })).toThrow(/broken\.recommend output: item 9/);
  });
});
