import { describe, expect, it } from 'vitest';
import {
  artistDiversity,
  artistExposureGini,
  catalogCoverage,
  gini,
  intraListDiversity,
  novelty,
  popularityLift,
  serendipity,
} from '../../src/eval/metrics.js';
import { rowsOf } from './fixtures.js';

describe('beyond-accuracy metrics', () => {
  it('catalog coverage counts distinct items in the top K', () => {
    const recs = Int32Array.from([3, 0, 5, -1, 1, 2, 3, 4, 7, 2, 2, 9]);
    // K 4: {3,0,5,1,2,4,7,9} = 8 of 10
    expect(catalogCoverage(recs, 4, 4, 10)).toBeCloseTo(0.8, 12);
    // K 1: {3,1,7} = 3 of 10
    expect(catalogCoverage(recs, 4, 1, 10)).toBeCloseTo(0.3, 12);
  });

  it('intra-list diversity is the mean pairwise 1 − cosine', () => {
    // item0 (1,0), item1 (0,1), item2 (1,1), item3 zero vector
    const vectors = Float32Array.from([1, 0, 0, 1, 1, 1, 0, 0]);
    const recs = Int32Array.from([0, 1, 2, 0, -1, 0, 3, 0, -1, 2, -1, -1]);
    const r = intraListDiversity(recs, 3, 3, vectors, 2);
    // [0,1,2]: (1 − 0) + (1 − 1/√2) + (1 − 1/√2) over 3 pairs
    expect(r.perList[0]).toBeCloseTo((1 + 2 * (1 - Math.SQRT1_2)) / 3, 6);
    expect(r.perList[1]).toBeCloseTo(0, 6); // the same item twice: cosine 1
    expect(r.perList[2]).toBe(1); // zero vector: cosine 0
    expect(r.perList[3]).toBeNaN(); // a single item
    expect(r.lists).toBe(3);
    expect(r.mean).toBeCloseTo((r.perList[0] + 0 + 1) / 3, 6);
  });

  it('intra-list diversity equals the pairwise definition on random lists (with gaps and zero vectors)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [nItems, dim, width, k] of [[50, 1, 6, 6], [200, 16, 30, 20], [40, 7, 5, 9]] as const) {
      const vectors = new Float32Array(nItems * dim);
      for (let i = 0; i < vectors.length; i++) vectors[i] = rand() - 0.5;
      vectors.fill(0, 3 * dim, 4 * dim); // item 3 is a zero vector
      const rows = 40;
      const recs = new Int32Array(rows * width);
      for (let s = 0; s < recs.length; s++) recs[s] = rand() < 0.1 ? -1 : s % 11 === 0 ? 3 : Math.floor(rand() * nItems);
      const r = intraListDiversity(recs, width, k, vectors, dim);
      for (let row = 0; row < rows; row++) {
        const items = Array.from(recs.subarray(row * width, row * width + Math.min(k, width))).filter((i) => i >= 0);
        const norm = (i: number): number => Math.hypot(...vectors.subarray(i * dim, (i + 1) * dim));
        let sum = 0;
        let pairs = 0;
        for (let a = 0; a < items.length; a++) {
          for (let b = a + 1; b < items.length; b++) {
            let dot = 0;
            for (let d = 0; d < dim; d++) dot += vectors[items[a] * dim + d] * vectors[items[b] * dim + d];
            const denom = norm(items[a]) * norm(items[b]);
            sum += 1 - (denom > 0 ? dot / denom : 0);
            pairs++;
          }
        }
        if (pairs === 0) expect(r.perList[row]).toBeNaN();
        else expect(r.perList[row]).toBeCloseTo(sum / pairs, 5);
      }
    }
  });

  it('artist diversity = distinct known artists / known items', () => {
    const itemArtist = Int32Array.from([0, 0, 1, -1]);
    const r = artistDiversity(Int32Array.from([0, 1, 2, 3, -1, -1]), 3, 3, itemArtist);
    expect(r.perList[0]).toBeCloseTo(2 / 3, 12); // artists {0, 0, 1}
    expect(r.perList[1]).toBeNaN(); // only an unknown artist
  });

  it('novelty is mean −log2(pop / nUsers) with pop clamped to 1', () => {
    const pop = Float64Array.from([4, 2, 1, 0]);
    const r = novelty(Int32Array.from([0, 1, 2, 3]), 2, 2, pop, 4);
    expect(r.perList[0]).toBeCloseTo((0 + 1) / 2, 12); // −log2(4/4) = 0, −log2(2/4) = 1
    expect(r.perList[1]).toBeCloseTo((2 + 2) / 2, 12); // −log2(1/4) = 2, clamped −log2(1/4) = 2
    expect(r.mean).toBeCloseTo(1.25, 12);
  });

  it('popularity lift compares recommended with own training popularity', () => {
    const pop = Float64Array.from([4, 2, 1, 0]);
    const train = rowsOf(4, [[0, 1], [2]]);
    // recommended pops (1 + 0 + 0)/3 = 1/3; own pops (4 + 2 + 1)/3 = 7/3 → 1/7
    const lift = popularityLift(Int32Array.from([2, 3, 3, -1]), 2, 2, Int32Array.from([0, 1]), train, pop);
    expect(lift).toBeCloseTo(1 / 7, 12);
  });

  it('gini of exposures', () => {
    // sorted [0,0,0,4]: Σ(2i−n−1)x = (8−5)·4 = 12; n·Σx = 16 → 0.75
    expect(gini(Float64Array.from([4, 0, 0, 0]))).toBeCloseTo(0.75, 12);
    expect(gini(Float64Array.from([1, 1, 1, 1]))).toBe(0);
    // items [0,1,2] with artists [0,0,1] over 3 artists: exposures [2,1,0] → sorted [0,1,2]:
    // (−2)·0 + 0·1 + 2·2 = 4; 3·3 = 9
    expect(artistExposureGini(Int32Array.from([0, 1, 2]), 3, 3, Int32Array.from([0, 0, 1]), 3)).toBeCloseTo(4 / 9, 12);
  });

  it('serendipity counts relevant items the popularity list would not show', () => {
    const test = rowsOf(6, [[1, 3, 5], []]);
    const recs = Int32Array.from([3, 5, 0, 1, 0, 1, 2, 3]);
    const popular = Int32Array.from([3, 1, 0, 2, 3, 1, 0, 2]);
    const r = serendipity(recs, 4, 4, Int32Array.from([0, 1]), test, popular, 4);
    // relevant {3, 5, 1}; popular {3, 1, 0, 2} → only 5 → 1/4
    expect(r.perList[0]).toBeCloseTo(0.25, 12);
    expect(r.perList[1]).toBeNaN(); // no test items: excluded
    expect(r.lists).toBe(1);
  });
});
