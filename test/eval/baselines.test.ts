import { describe, expect, it } from 'vitest';
import { ItemKnnRanker, mostPopular, RandomRanker, recentPopular } from '../../src/eval/baselines.js';
import { interactionRows } from '../../src/eval/sparse.js';
import { interactions, rowsOf } from './fixtures.js';

// users × items:  u0 {0,1}  u1 {0,1,2}  u2 {1,2}  u3 {2,3}
// item columns: i0 {u0,u1} |√2|, i1 {u0,u1,u2} |√3|, i2 {u1,u2,u3} |√3|, i3 {u3} |1|
// cos(0,1) = 2/√6 = 0.8165  cos(0,2) = 1/√6 = 0.4082  cos(1,2) = 2/3  cos(2,3) = 1/√3 = 0.5774
// cos(0,3) = cos(1,3) = 0
const knnData = interactions(4, 4, [
  [0, 0], [0, 1],
  [1, 0], [1, 1], [1, 2],
  [2, 1], [2, 2],
  [3, 2], [3, 3],
]);
const all = Int32Array.from([0, 1, 2, 3]);

describe('ItemKnnRanker', () => {
  it('computes cosine similarities sparsely', () => {
    const knn = ItemKnnRanker.build(knnData, { neighbours: 3 });
    expect(knn.similarity(0, 1)).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(knn.similarity(0, 2)).toBeCloseTo(1 / Math.sqrt(6), 6);
    expect(knn.similarity(1, 2)).toBeCloseTo(2 / 3, 6);
    expect(knn.similarity(2, 3)).toBeCloseTo(1 / Math.sqrt(3), 6);
    expect(knn.similarity(0, 3)).toBe(0);
    // i2's neighbours best first: i1 (0.667), i3 (0.577), i0 (0.408)
    expect(Array.from(knn.neighbourIds.subarray(6, 9))).toEqual([1, 3, 0]);
  });

  it('ranks by summed similarity and excludes training items', () => {
    const knn = ItemKnnRanker.build(knnData, { neighbours: 3 });
    const recs = knn.recommend(all, 2, interactionRows(knnData));
    // u0: i2 = 0.408 + 0.667 = 1.075; i3 = 0 → not recommended
    // u1: i3 = sim(2,3) = 0.577
    // u2: i0 = 0.816 + 0.408 = 1.225; i3 = 0.577
    // u3: i1 = 0.667; i0 = 0.408
    expect(Array.from(recs)).toEqual([2, -1, 3, -1, 0, 3, 1, 0]);
  });

  it('keeps only the top neighbours', () => {
    const knn = ItemKnnRanker.build(knnData, { neighbours: 1 });
    // top neighbour: i0→i1, i1→i0, i2→i1, i3→i2
    const recs = knn.recommend(Int32Array.from([2, 3]), 2, interactionRows(knnData));
    // u2 {1,2}: i1→i0 (0.816), i2→i1 (excluded) → [0]
    // u3 {2,3}: i2→i1 (0.667), i3→i2 (excluded) → [1]
    expect(Array.from(recs)).toEqual([0, -1, 1, -1]);
  });

  it('breaks score ties by lower item index', () => {
    // i0 {u0,u1,u2}, i1 {u0}, i2 {u1}: cos(0,1) = cos(0,2) = 1/√3; u2 holds only i0
    const tie = interactions(3, 3, [[0, 0], [0, 1], [1, 0], [1, 2], [2, 0]]);
    const knn = ItemKnnRanker.build(tie);
    expect(Array.from(knn.recommend(Int32Array.from([2]), 3, interactionRows(tie)))).toEqual([1, 2, -1]);
  });

  it('ignores negative entries', () => {
    const withNeg = interactions(2, 3, [[0, 0], [0, 1, 0], [1, 0], [1, 2]]);
    const knn = ItemKnnRanker.build(withNeg);
    expect(knn.similarity(0, 1)).toBe(0);
    expect(knn.similarity(0, 2)).toBeGreaterThan(0);
  });
});

describe('popularity and random', () => {
  it('most-popular orders by listeners with ties by lower index and skips heard items', () => {
    // listeners: i0 2, i1 3, i2 3, i3 1
    const pop = mostPopular(interactionRows(knnData));
    const recs = pop.recommend(Int32Array.from([0, 3]), 3, rowsOf(4, [[1], [], [], [2, 3]]));
    // u0 (heard i1): i2 (3) before i0 (2) before i3 (1); u3 (heard i2, i3): i1, i0, then nothing
    expect(Array.from(recs)).toEqual([2, 0, 3, 1, 0, -1]);
  });

  it('recent popularity counts distinct listeners in the window', () => {
    const DAY = 86_400_000;
    const user = Int32Array.from([0, 0, 0, 1, 2, 1]);
    const item = Int32Array.from([0, 0, 0, 1, 1, 2]);
    const time = Float64Array.from([9, 9.5, 9.9, 9, 9.1, 1].map((d) => d * DAY));
    const r = recentPopular(user, item, time, 3, 3, { asOf: 10 * DAY, windowDays: 2 });
    // window [8, 10) days: i0 by u0 only (3 plays), i1 by u1 and u2; i2 is outside
    expect(Array.from(r.scores)).toEqual([1, 2, 0]);
    expect(Array.from(r.recommend(Int32Array.from([0]), 3, rowsOf(3, [[]])))).toEqual([1, 0, 2]);
  });

  it('random is seeded per user, distinct and never recommends excluded items', () => {
    const rnd = new RandomRanker(50, 3);
    const exclude = rowsOf(50, [[1, 2, 3], Array.from({ length: 45 }, (_, j) => j), [0]]);
    const recs = rnd.recommend(Int32Array.from([0, 1, 2]), 10, exclude);
    const again = rnd.recommend(Int32Array.from([2]), 10, exclude);
    expect(Array.from(recs.subarray(20, 30))).toEqual(Array.from(again));
    const u0 = Array.from(recs.subarray(0, 10));
    expect(new Set(u0).size).toBe(10);
    expect(u0.some((i) => [1, 2, 3].includes(i))).toBe(false);
    // u1 can only get items 45..49 (5 left), then padding
    expect(Array.from(recs.subarray(10, 20)).sort((a, b) => a - b)).toEqual([-1, -1, -1, -1, -1, 45, 46, 47, 48, 49]);
    expect(Array.from(new RandomRanker(50, 4).recommend(Int32Array.from([0]), 10, exclude))).not.toEqual(u0);
  });
});
