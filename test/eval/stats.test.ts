import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/eval/random.js';
import { bootstrapCI, bootstrapCIs, pairedComparison } from '../../src/eval/stats.js';

function sample(n: number, seed: number, shift = 0): Float64Array {
  const rng = new SeededRandom(seed);
  return Float64Array.from({ length: n }, () => rng.next() + shift);
}

/** The plain percentile bootstrap of one array: n draws per resample from a generator seeded anew. */
function referenceCI(x: Float64Array, seed: number, iterations: number, confidence: number): { mean: number; low: number; high: number } {
  const rng = new SeededRandom(seed);
  const means = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let s = 0;
    for (let j = 0; j < x.length; j++) s += x[rng.nextInt(x.length)];
    means[b] = s / x.length;
  }
  means.sort();
  const at = (q: number): number => {
    const pos = q * (iterations - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(iterations - 1, lo + 1);
    return means[lo] + (means[hi] - means[lo]) * (pos - lo);
  };
  let sum = 0;
  for (const v of x) sum += v;
  return { mean: sum / x.length, low: at((1 - confidence) / 2), high: at(1 - (1 - confidence) / 2) };
}

describe('bootstrapCI', () => {
  it('contains the mean and shrinks with more users', () => {
    const small = bootstrapCI(sample(40, 1), { seed: 2 });
    const large = bootstrapCI(sample(4000, 1), { seed: 2 });
    for (const ci of [small, large]) {
      expect(ci.low).toBeLessThanOrEqual(ci.mean);
      expect(ci.high).toBeGreaterThanOrEqual(ci.mean);
    }
    expect(small.mean).toBeCloseTo(0.5, 0);
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 4);
  });

  it('is deterministic per seed and degenerate for constants', () => {
    const x = sample(100, 3);
    expect(bootstrapCI(x, { seed: 9 })).toEqual(bootstrapCI(x, { seed: 9 }));
    const c = bootstrapCI(new Float64Array(50).fill(0.3), { iterations: 200 });
    expect(c.low).toBeCloseTo(0.3, 12);
    expect(c.high).toBeCloseTo(0.3, 12);
    expect(bootstrapCI(new Float64Array(0)).mean).toBeNaN();
    expect(() => bootstrapCI(x, { confidence: 1 })).toThrow(/confidence/);
  });
});

describe('bootstrapCIs', () => {
  it('gives every array the interval of its own resampling with the same seed', () => {
    for (const [n, seed, iterations] of [[1, 4, 50], [37, 5, 300], [500, 6, 200]]) {
      const arrays = [sample(n, seed), sample(n, seed + 1, 3), new Float64Array(n).fill(0.25)];
      const got = bootstrapCIs(arrays, { seed, iterations, confidence: 0.9 });
      // The same draws summed in user order rather than draw order: equal up to rounding.
      arrays.forEach((x, a) => {
        const want = referenceCI(x, seed, iterations, 0.9);
        expect(got[a].mean).toBe(want.mean);
        expect(got[a].low).toBeCloseTo(want.low, 12);
        expect(got[a].high).toBeCloseTo(want.high, 12);
      });
      expect(bootstrapCI(arrays[1], { seed, iterations, confidence: 0.9 })).toEqual(got[1]);
    }
  });

  it('handles no arrays and no users, and refuses arrays of different users', () => {
    expect(bootstrapCIs([])).toEqual([]);
    const none = bootstrapCIs([new Float64Array(0), new Float64Array(0)]);
    expect(none).toHaveLength(2);
    for (const ci of none) expect(ci.mean).toBeNaN();
    expect(() => bootstrapCIs([sample(3, 1), sample(4, 1)])).toThrow(/same users/);
    expect(() => bootstrapCIs([sample(3, 1)], { iterations: 0 })).toThrow(/iterations/);
  });
});

describe('pairedComparison', () => {
  it('flags a clear difference', () => {
    const b = sample(300, 5);
    const noise = sample(300, 6);
    const a = b.map((v, j) => v + 0.05 + 0.02 * (noise[j] - 0.5));
    const r = pairedComparison(a, b, { seed: 1 });
    expect(r.meanDiff).toBeCloseTo(0.05, 2);
    expect(r.low).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.01);
    expect(r.significant).toBe(true);
  });

  it('does not flag an identical pair or pure noise', () => {
    const a = sample(300, 5);
    const same = pairedComparison(a, a.slice(), { seed: 1 });
    expect(same.meanDiff).toBe(0);
    expect(same.pValue).toBe(1);
    expect(same.significant).toBe(false);
    const noisy = pairedComparison(sample(300, 7), sample(300, 8), { seed: 1 });
    expect(noisy.significant).toBe(false);
    expect(() => pairedComparison(a, a.subarray(1))).toThrow(/paired/);
  });
});
