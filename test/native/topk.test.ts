import { describe, expect, it } from 'vitest';

import { scoreTopK, scoreTopKAsync, type ScoreTopKArgs } from '../../src/native/index.js';
import { topKRef } from '../reference/als.js';
import { mulberry32, randomInts, randomTopKProblem } from '../reference/random.js';

function outputs(users: number, n: number) {
  return { outItems: new Int32Array(users * n), outScores: new Float32Array(users * n) };
}

describe('scoreTopK', () => {
  // Integer factors make every float32 dot product exact, so ties are real and the tie rule
  // (lower item index first) must hold exactly.
  it.each([
    [1, 5, 1, 3],
    [20, 300, 4, 1],
    [13, 40, 3, 7],
    [70, 700, 8, 20],
    [9, 5000, 16, 50],
  ])('equals brute force exactly with ties: %i users, %i items, k=%i, n=%i', (users, items, k, n) => {
    const rng = mulberry32(users * items + k);
    const { U, V, exclude } = randomTopKProblem(rng, { users, items, k }, { ints: 2, density: 0.1, fullUsers: users > 2 ? [1] : [] });
    const bias = randomInts(rng, items, -1, 1);
    for (const withBias of [false, true]) {
      const out = outputs(users, n);
      scoreTopK({ U, V, factors: k, userBegin: 0, userEnd: users, n, exclude, itemBias: withBias ? bias : undefined, ...out });
      const want = topKRef(U, V, k, 0, users, n, exclude, withBias ? bias : undefined);
      expect(Array.from(out.outItems)).toEqual(Array.from(want.items));
      expect(Array.from(out.outScores)).toEqual(Array.from(want.scores));
    }
  });

  it('equals brute force across several user super-blocks and item tiles (large n)', () => {
    const rng = mulberry32(4242);
    // k = 32 → 1024-item tiles; n = 1000 → super-blocks of 480 users.
    const users = 500;
    const items = 1500;
    const k = 32;
    const n = 1000;
    const { U, V, exclude } = randomTopKProblem(rng, { users, items, k }, { ints: 1, density: 0.05 });
    const out = outputs(users - 3, n);
    scoreTopK({ U, V, factors: k, userBegin: 3, userEnd: users, n, exclude, ...out });
    const want = topKRef(U, V, k, 3, users, n, exclude);
    expect(Array.from(out.outItems)).toEqual(Array.from(want.items));
    expect(Array.from(out.outScores)).toEqual(Array.from(want.scores));
  });

  it('matches brute force on random floats (scores within 1e-5, items equal up to near-ties)', () => {
    const rng = mulberry32(77);
    const users = 50;
    const items = 3000;
    const k = 32;
    const n = 25;
    const { U, V, exclude } = randomTopKProblem(rng, { users, items, k }, { density: 0.05 });
    const out = outputs(20, n);
    scoreTopK({ U, V, factors: k, userBegin: 30, userEnd: 50, n, exclude, ...out });
    const want = topKRef(U, V, k, 30, 50, n, exclude);
    for (let j = 0; j < out.outItems.length; j++) {
      expect(Math.abs(out.outScores[j] - want.scores[j])).toBeLessThan(1e-5);
      if (out.outItems[j] !== want.items[j]) {
        // Only a near-tie may swap two items.
        expect(Math.abs(want.scores[j] - out.outScores[j])).toBeLessThan(1e-5);
      }
    }
    const mismatched = out.outItems.filter((v, j) => v !== want.items[j]).length;
    expect(mismatched).toBeLessThanOrEqual(2);
  });

  it('pads with (-1, -Infinity) when n exceeds the eligible items and for users excluding everything', () => {
    const rng = mulberry32(5);
    const users = 4;
    const items = 6;
    const k = 3;
    const { U, V, exclude } = randomTopKProblem(rng, { users, items, k }, { density: 0.3, fullUsers: [2] });
    const n = 10;
    const out = outputs(users, n);
    scoreTopK({ U, V, factors: k, userBegin: 0, userEnd: users, n, exclude, ...out });
    const want = topKRef(U, V, k, 0, users, n, exclude);
    expect(Array.from(out.outItems)).toEqual(Array.from(want.items));
    expect(Array.from(out.outItems.subarray(2 * n, 3 * n))).toEqual(new Array(n).fill(-1));
    expect(Array.from(out.outScores.subarray(2 * n, 3 * n))).toEqual(new Array(n).fill(-Infinity));
  });

  it('handles an empty user range, n = 0, zero items and a single factor', () => {
    const U = new Float32Array([1, 2, 3]);
    const V = new Float32Array([3, 1, 2, 2]);
    scoreTopK({ U, V, factors: 1, userBegin: 1, userEnd: 1, n: 5, ...outputs(0, 5) });
    scoreTopK({ U, V, factors: 1, userBegin: 0, userEnd: 3, n: 0, ...outputs(3, 0) });
    const none = outputs(3, 2);
    scoreTopK({ U, V: new Float32Array(0), factors: 1, userBegin: 0, userEnd: 3, n: 2, ...none });
    expect(Array.from(none.outItems)).toEqual(new Array(6).fill(-1));
    const one = outputs(3, 2);
    scoreTopK({ U, V, factors: 1, userBegin: 0, userEnd: 3, n: 2, ...one });
    expect(Array.from(one.outItems)).toEqual([0, 2, 0, 2, 0, 2]);
    expect(Array.from(one.outScores)).toEqual([3, 2, 6, 4, 9, 6]);
  });

  it('async gives the same bits as sync, with shared-memory outputs', async () => {
    const rng = mulberry32(9);
    const users = 40;
    const items = 2500;
    const k = 24;
    const n = 30;
    const { U, V, exclude } = randomTopKProblem(rng, { users, items, k }, { density: 0.02 });
    const base: Omit<ScoreTopKArgs, 'outItems' | 'outScores'> = { U, V, factors: k, userBegin: 0, userEnd: users, n, exclude };
    const sync = outputs(users, n);
    scoreTopK({ ...base, ...sync });
    const outItems = new Int32Array(new SharedArrayBuffer(users * n * 4));
    const outScores = new Float32Array(new SharedArrayBuffer(users * n * 4));
    await scoreTopKAsync({ ...base, outItems, outScores });
    expect(Array.from(outItems)).toEqual(Array.from(sync.outItems));
    expect(Array.from(outScores)).toEqual(Array.from(sync.outScores));
  });
});
