import { describe, expect, it } from 'vitest';
import { medianInPlace, selectInPlace } from '../../src/util/median.js';
import { mulberry32 } from '../reference/random.js';

/** The plain definition: sort a copy, take the middle (or the mean of the two middle) values. */
function referenceMedian(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  if (n === 0) return Number.NaN;
  const m = n >> 1;
  return n % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

describe('medianInPlace', () => {
  it('matches the median of a sorted copy, bit for bit, on random arrays of every small size', () => {
    const rng = mulberry32(5);
    for (let n = 0; n <= 300; n++) {
      for (const distinct of [2, 7, 1e9]) {
        const xs = Float64Array.from({ length: n }, () => (distinct < 1e9 ? Math.floor(rng() * distinct) : rng() * 1e6 - 5e5));
        const want = referenceMedian(xs);
        const got = medianInPlace(xs.slice());
        expect(Object.is(got, want), `n ${n}, ${distinct} distinct: ${got} vs ${want}`).toBe(true);
      }
    }
  });

  it('handles large, sorted, reversed and constant inputs, and a prefix of an array', () => {
    const rng = mulberry32(8);
    const big = Float64Array.from({ length: 100_001 }, () => rng());
    expect(medianInPlace(big.slice())).toBe(referenceMedian(big));
    const sorted = Float64Array.from({ length: 5000 }, (_, i) => i);
    expect(medianInPlace(sorted.slice())).toBe(2499.5);
    expect(medianInPlace(sorted.slice().reverse())).toBe(2499.5);
    expect(medianInPlace(new Float64Array(1001).fill(3.25))).toBe(3.25);
    const a = Float64Array.from([9, 1, 5, 100, -100]);
    expect(medianInPlace(a, 3)).toBe(5);
    expect(Array.from(a.subarray(3))).toEqual([100, -100]);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });
});

describe('selectInPlace', () => {
  it('puts the k-th smallest at k with smaller-or-equal values before it and larger-or-equal after', () => {
    const rng = mulberry32(3);
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(rng() * 200);
      const xs = Float64Array.from({ length: n }, () => Math.floor(rng() * 20));
      const k = Math.floor(rng() * n);
      const a = xs.slice();
      selectInPlace(a, n, k);
      expect(a[k]).toBe(Float64Array.from(xs).sort()[k]);
      for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k]);
      for (let i = k + 1; i < n; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k]);
      expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from(xs).sort((x, y) => x - y));
    }
  });
});
