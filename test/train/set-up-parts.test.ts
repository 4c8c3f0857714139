import { afterAll, describe, expect, it } from 'vitest';
import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';
import { trainAls } from '../../src/train/als.js';
import { confidenceFromWeights, confidenceRange } from '../../src/train/confidence.js';
import { fillRandom } from '../../src/train/init.js';
import { resolveTrainOptions } from '../../src/train/options.js';
import { createTrainPool } from '../../src/train/pool.js';
import { evenRanges, MIN_PART } from '../../src/train/ranges.js';
import type { WorkerTask } from '../../src/train/worker.js';
import { sharedArray, toShared } from '../../src/util/shared-memory.js';
import { bytesOf } from '../reference/shared.js';

/** The stream as first written: one state stepped from the seed, element by element. */
function fillRandomReference(n: number, seed: number, scale = 0.01): Float32Array {
  const out = new Float32Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    out[i] = ((z >>> 0) / 4294967296) * scale;
  }
  return out;
}

describe('evenRanges', () => {
  it('covers [0, count) in order with at most `parts` near-equal ranges of at least minPart', () => {
    for (const [count, parts, minPart] of [
      [0, 2, 1],
      [1, 3, 1],
      [10, 3, 1],
      [10, 3, 4],
      [1000, 7, 1],
      [MIN_PART * 2 - 1, 4, MIN_PART],
      [MIN_PART * 5, 4, MIN_PART],
    ] as const) {
      const r = evenRanges(count, parts, minPart);
      const at = `${count} in ${parts} (min ${minPart})`;
      expect(r.length, at).toBeGreaterThanOrEqual(1);
      expect(r.length, at).toBeLessThanOrEqual(parts);
      expect(r[0][0], at).toBe(0);
      expect(r[r.length - 1][1], at).toBe(count);
      for (let i = 1; i < r.length; i++) expect(r[i][0], at).toBe(r[i - 1][1]);
      const sizes = r.map(([b, e]) => e - b);
      expect(Math.max(...sizes) - Math.min(...sizes), at).toBeLessThanOrEqual(1);
      if (r.length > 1) expect(Math.min(...sizes), at).toBeGreaterThanOrEqual(minPart);
    }
    expect(evenRanges(MIN_PART * 5, 4)).toHaveLength(4);
    expect(evenRanges(MIN_PART * 2 - 1, 4)).toHaveLength(1);
  });

  it('refuses a bad count or part count', () => {
    expect(() => evenRanges(-1, 2)).toThrow(/count/);
    expect(() => evenRanges(1.5, 2)).toThrow(/count/);
    expect(() => evenRanges(10, 0)).toThrow(/parts/);
  });
});

describe('fillRandom in ranges', () => {
  it('gives the bits of the one-stream fill for every cut and seed', () => {
    for (const seed of [0, 1, 7, 0x5bd1e995, 0xffffffff, (7 ^ 0x5bd1e995) >>> 0]) {
      const want = fillRandomReference(1003, seed);
      expect(bytesOf(fillRandom(new Float32Array(1003), seed)).equals(bytesOf(want)), `seed ${seed}`).toBe(true);
      for (const cuts of [[0, 1003], [0, 0, 1003], [0, 1, 500, 1002, 1003], [0, 333, 666, 1003]]) {
        const got = new Float32Array(1003).fill(-1);
        // Backwards, so no range depends on one before it.
        for (let p = cuts.length - 2; p >= 0; p--) fillRandom(got, seed, undefined, cuts[p], cuts[p + 1]);
        expect(bytesOf(got).equals(bytesOf(want)), `seed ${seed}, cuts ${cuts.join(',')}`).toBe(true);
      }
    }
  });

  it('refuses a range outside the array', () => {
    expect(() => fillRandom(new Float32Array(4), 1, 0.01, 2, 5)).toThrow(/range/);
    expect(() => fillRandom(new Float32Array(4), 1, 0.01, 3, 2)).toThrow(/range/);
  });
});

describe('confidenceRange', () => {
  const weight = Float32Array.from({ length: 997 }, (_, i) => (i % 13) * 0.75);

  it('gives confidenceFromWeights entry for entry, in either mode, by parts', () => {
    for (const mode of ['log', 'linear'] as const) {
      const want = confidenceFromWeights(weight, 3, mode, 0.5);
      const got = new Float32Array(weight.length);
      for (const [b, e] of evenRanges(weight.length, 3, 1).reverse()) confidenceRange(weight, { alpha: 3, mode, epsilon: 0.5 }, got, b, e);
      expect(bytesOf(got).equals(bytesOf(want)), mode).toBe(true);
    }
  });

  it('names the entry by its index in the whole array, and refuses bad arguments', () => {
    const bad = weight.slice();
    bad[800] = 3e38;
    const out = new Float32Array(bad.length);
    expect(() => confidenceRange(bad, { alpha: 10, mode: 'linear', epsilon: 1 }, out, 700, 997)).toThrow(/entry 800 is not finite/);
    expect(() => confidenceRange(bad, { alpha: 10, mode: 'linear', epsilon: 1 }, out, 0, 700)).not.toThrow();
    expect(() => confidenceRange(weight, { alpha: -1, mode: 'log', epsilon: 1 }, out, 0, 1)).toThrow(/alpha/);
    expect(() => confidenceRange(weight, { alpha: 1, mode: 'log', epsilon: 0 }, out, 0, 1)).toThrow(/epsilon/);
    expect(() => confidenceRange(weight, { alpha: 1, mode: 'log', epsilon: 1 }, new Float32Array(3), 0, 1)).toThrow(/outputs/);
    expect(() => confidenceRange(weight, { alpha: 1, mode: 'log', epsilon: 1 }, out, 0, 998)).toThrow(/range/);
  });
});

describe('the set-up passes on the training pool', () => {
  const pool = createTrainPool(3);
  afterAll(() => pool.destroy());

  it('fills and weighs in parts on worker threads over shared memory as one thread does', async () => {
    const n = 5000;
    const out = sharedArray(Float32Array, n);
    const parts = evenRanges(n, 3, 1);
    await Promise.all(parts.map(([begin, end]) => pool.run({ op: 'fillRandom', out, seed: 9, begin, end } satisfies WorkerTask)));
    expect(bytesOf(out).equals(bytesOf(fillRandomReference(n, 9)))).toBe(true);

    const weight = toShared(Float32Array.from({ length: n }, (_, i) => (i % 17) / 3));
    const conf = sharedArray(Float32Array, n);
    const params = { alpha: 2, mode: 'log' as const, epsilon: 0.25 };
    await Promise.all(parts.map(([begin, end]) => pool.run({ op: 'confidence', weight, out: conf, params, begin, end } satisfies WorkerTask)));
    expect(bytesOf(conf).equals(bytesOf(confidenceFromWeights(weight, 2, 'log', 0.25)))).toBe(true);
  });

  it('reports a non-finite confidence from a worker with the entry\'s index in the whole array', async () => {
    const n = 300;
    const weight = toShared(new Float32Array(n).fill(1));
    weight[250] = 3e38;
    const conf = sharedArray(Float32Array, n);
    const params = { alpha: 10, mode: 'linear' as const, epsilon: 1 };
    const runs = evenRanges(n, 3, 1).map(([begin, end]) => pool.run({ op: 'confidence', weight, out: conf, params, begin, end } satisfies WorkerTask));
    await expect(Promise.all(runs)).rejects.toThrow(/entry 250 is not finite/);
    await Promise.allSettled(runs);
  });

  it('starts training from the one-thread fill, in several parts, and trains to the same bits on 1 and 3 threads', async () => {
    // Large enough that the factors and the confidences are cut into several parts.
    const m = syntheticMatrix({ users: 7000, items: 900, nnz: 3 * MIN_PART + 123, seed: 5 });
    const plain = { ...m, indptr: m.indptr.slice(), indices: m.indices.slice(), pref: m.pref.slice(), weight: m.weight.slice() };
    expect(plain.weight.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const k = 32;
    const start = await trainAls(plain, resolveTrainOptions({ factors: k, iterations: 0, threads: 3, seed: 11 }));
    expect(evenRanges(start.userFactors.length, 3)).toHaveLength(3);
    expect(bytesOf(start.userFactors).equals(bytesOf(fillRandomReference(7000 * k, 11)))).toBe(true);
    expect(bytesOf(start.itemFactors).equals(bytesOf(fillRandomReference(900 * k, (11 ^ 0x5bd1e995) >>> 0)))).toBe(true);

    const one = await trainAls(plain, resolveTrainOptions({ factors: k, iterations: 2, threads: 1, seed: 11 }));
    const three = await trainAls(m, resolveTrainOptions({ factors: k, iterations: 2, threads: 3, seed: 11 }));
    expect(bytesOf(three.userFactors).equals(bytesOf(one.userFactors))).toBe(true);
    expect(bytesOf(three.itemFactors).equals(bytesOf(one.itemFactors))).toBe(true);
  });
});
