import { describe, expect, it } from 'vitest';

import { nativeInfo, scoreTopK, scoreTopKAsync, type TopKPrefilter } from '../../src/native/index.js';
import { topKRef } from '../reference/als.js';
import { expectSameBits, runTopK, type TopKProblemArgs } from './topk-run.js';
import { bytesOf } from '../reference/shared.js';
import { mulberry32, randomExclusions, randomFloats, randomInts, randomTopKProblem, type Rng } from '../reference/random.js';

// The 8-bit pre-filter must give the float kernel's results bit for bit: the same items in the
// same order and the same float scores, on every input it accepts.
const hasPrefilter = nativeInfo().topkPrefilter !== 'none';
// Only VNNI builds take it by default ('auto'); plain AVX2 builds have it on request.
const byDefault = nativeInfo().topkPrefilter === 'vnni' ? 'int8' : 'float';

/** Factors shaped like trained ones: a shared direction, norms spread over an order of magnitude. */
function factorLike(rng: Rng, rows: number, k: number): Float32Array {
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const norm = Math.exp(2.3 * rng());
    for (let f = 0; f < k; f++) out[r * k + f] = norm * ((rng() - 0.5) + (f === 0 ? 0.6 : 0));
  }
  return out;
}

describe.runIf(hasPrefilter)('scoreTopK with the 8-bit pre-filter', () => {
  it('gives the float kernel\'s results bit for bit on random problems of every shape', () => {
    const ks = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 128, 256];
    for (let trial = 0; trial < 120; trial++) {
      const rng = mulberry32(9000 + trial);
      const k = ks[trial % ks.length];
      const users = trial % 17 === 0 ? 0 : 1 + Math.floor(rng() * 50);
      const items = trial % 19 === 0 ? 0 : Math.floor(rng() * 2500);
      const n = 1 + Math.floor(rng() * (trial % 5 === 0 ? 3000 : 80));
      const kind = trial % 4;
      // Integer values (exact products, real ties), plain floats, factor-like rows, tiny magnitudes.
      const U = kind === 0 ? randomInts(rng, users * k, -2, 2) : kind === 3 ? randomFloats(rng, users * k, -1e-20, 1e-20) : factorLike(rng, users, k);
      const V = kind === 0 ? randomInts(rng, items * k, -2, 2) : kind === 1 ? randomFloats(rng, items * k) : factorLike(rng, items, k);
      if (users > 2) U.fill(0, k, 2 * k); // a user with no taste: every score is 0 (+ bias)
      if (items > 3) V.fill(0, 2 * k, 3 * k); // an item with a zero row
      const exclude = randomExclusions(rng, users, items, 0.05, users > 4 ? [3] : []);
      const itemBias = trial % 3 === 0 ? (kind === 0 ? randomInts(rng, items, -1, 1) : randomFloats(rng, items)) : undefined;
      const begin = users > 5 ? 2 : 0;
      const p: TopKProblemArgs = { U, V, factors: k, userBegin: begin, userEnd: users, n, exclude, itemBias };
      const off = runTopK(p, 'off');
      const int8 = runTopK(p, 'int8');
      expect(off.path).toBe('float');
      expect(int8.path).toBe('int8');
      expectSameBits(int8, off);
    }
  });

  it('equals the brute-force reference exactly, ties to the lower item', () => {
    const rng = mulberry32(31337);
    const users = 40;
    const items = 3000;
    const k = 24;
    const n = 60;
    const { U, V, exclude } = randomTopKProblem(rng, { users, items, k }, { ints: 3, density: 0.1, fullUsers: [7] });
    const bias = randomInts(rng, items, -2, 2);
    for (const itemBias of [undefined, bias]) {
      const got = runTopK({ U, V, factors: k, userBegin: 0, userEnd: users, n, exclude, itemBias }, 'int8');
      expect(got.path).toBe('int8');
      const want = topKRef(U, V, k, 0, users, n, exclude, itemBias);
      expect(Array.from(got.outItems)).toEqual(Array.from(want.items));
      expect(Array.from(got.outScores)).toEqual(Array.from(want.scores));
    }
  });

  it('handles users with no taste (rows of zeros) in every block, with biases, exclusions and n past the eligible items', () => {
    // Every item ties for such a user (0 + bias); they are answered by a pass over the biases,
    // and must still match the float kernel: the lowest items first, excluded ones skipped.
    const rng = mulberry32(4242);
    const users = 520; // three blocks of 240 lanes
    const items = 2100; // the pre-filter's least
    const k = 16;
    const U = factorLike(rng, users, k);
    const zeros = [0, 1, 238, 239, 240, 241, 479, 480, 519];
    for (const u of zeros) U.fill(0, u * k, (u + 1) * k);
    U[241 * k + 5] = -0; // −0 is zero too
    const V = factorLike(rng, items, k);
    const exclude = randomExclusions(rng, users, items, 0.3, [239]);
    const intBias = randomInts(rng, items, -1, 1); // ties among the biases too
    for (const itemBias of [undefined, intBias, randomFloats(rng, items)]) {
      for (const n of [1, 7, 2200]) {
        const p: TopKProblemArgs = { U, V, factors: k, userBegin: 1, userEnd: users, n, exclude, itemBias };
        const int8 = runTopK(p, 'int8');
        expect(int8.path).toBe('int8');
        expectSameBits(int8, runTopK(p, 'off'));
        if (n === 7) {
          const want = topKRef(U, V, k, 1, users, n, exclude, itemBias);
          expect(bytesOf(int8.outItems).equals(bytesOf(want.items))).toBe(true);
        }
      }
    }
  });

  it('keeps results exact when a whole catalog ties the threshold of a user with taste', () => {
    // One factor of the user is live and every item has the same value there: every bound ties τ,
    // so the pre-filter's candidate list holds every item (it is pruned at doubling sizes).
    const rng = mulberry32(77);
    const k = 16;
    const items = 20_000;
    const users = 3;
    const U = new Float32Array(users * k);
    U[0] = 1;
    U[k + 3] = -2;
    U.set(factorLike(rng, 1, k), 2 * k);
    const V = factorLike(rng, items, k);
    for (let i = 0; i < items; i++) V[i * k] = 0.5;
    const exclude = randomExclusions(rng, users, items, 0.01);
    for (const n of [1, 10, 600]) {
      const p: TopKProblemArgs = { U, V, factors: k, userBegin: 0, userEnd: users, n, exclude };
      const int8 = runTopK(p, 'int8');
      expect(int8.path).toBe('int8');
      expectSameBits(int8, runTopK(p, 'off'));
      expect(Array.from(int8.outItems.subarray(0, n))).toEqual(Array.from(topKRef(U, V, k, 0, 1, n, exclude).items));
    }
  });

  it('leaves inputs it cannot bound to the float kernel: non-finite factors, overflow, k above 256', () => {
    const rng = mulberry32(5);
    const k = 16;
    const base = (): TopKProblemArgs => ({ U: randomFloats(rng, 30 * k), V: randomFloats(rng, 3000 * k), factors: k, userBegin: 0, userEnd: 30, n: 10 });
    const nanItem = base();
    nanItem.V[5 * k + 3] = Number.NaN;
    const infUser = base();
    infUser.U[2 * k] = Number.POSITIVE_INFINITY;
    const huge = base();
    huge.U.fill(1e18);
    huge.V.fill(1e18);
    const wide: TopKProblemArgs = { U: randomFloats(rng, 30 * 300), V: randomFloats(rng, 3000 * 300), factors: 300, userBegin: 0, userEnd: 30, n: 10 };
    for (const p of [nanItem, infUser, huge, wide]) {
      const int8 = runTopK(p, 'int8');
      expect(int8.path).toBe('float');
      expectSameBits(int8, runTopK(p, 'off'));
    }
  });

  it("'auto' takes the pre-filter (with VNNI) only for calls that amortise quantizing the items", () => {
    const rng = mulberry32(8);
    const k = 32;
    const V = factorLike(rng, 6000, k);
    const U = factorLike(rng, 600, k);
    const call = (users: number, items: number, n = 20, factors = k): string =>
      runTopK({ U: U.subarray(0, users * factors), V: V.subarray(0, items * factors), factors, userBegin: 0, userEnd: users, n }, 'auto').path;
    expect(call(600, 6000)).toBe(byDefault);
    expect(call(100, 6000)).toBe('float'); // fewer users: the pass over V would dominate
    expect(call(600, 6000, 30)).toBe('float'); // under 256 items per result: V stays in cache
    expect(call(600, 1000, 2)).toBe('float'); // few items
    expect(call(600, 6000, 20, 8)).toBe('float'); // few factors: the float kernel is as fast
    // Without the option the kernel chooses as 'auto' does.
    expect(scoreTopK({ U, V, factors: k, userBegin: 0, userEnd: 600, n: 20, outItems: new Int32Array(12000), outScores: new Float32Array(12000) })).toBe(byDefault);
  });

  it('gives the same results on the thread pool, and says which path it took as the sync call does', async () => {
    const rng = mulberry32(12);
    const k = 64;
    const users = 50;
    const items = 5000;
    const p: TopKProblemArgs = { U: factorLike(rng, users, k), V: factorLike(rng, items, k), factors: k, userBegin: 0, userEnd: users, n: 100, exclude: randomExclusions(rng, users, items, 0.02) };
    const outItems = new Int32Array(users * 100);
    const outScores = new Float32Array(users * 100);
    const path = await scoreTopKAsync({ ...p, outItems, outScores, prefilter: 'int8' });
    expect(path).toBe(runTopK(p, 'int8').path);
    expectSameBits({ outItems, outScores }, runTopK(p, 'off'));
    expect(await scoreTopKAsync({ ...p, outItems, outScores, prefilter: 'off' })).toBe('float');
  });
});

describe('scoreTopK prefilter option', () => {
  it('is refused unless auto, off or int8', () => {
    const args = { U: new Float32Array(4), V: new Float32Array(8), factors: 2, userBegin: 0, userEnd: 2, n: 1, outItems: new Int32Array(2), outScores: new Float32Array(2) };
    expect(() => scoreTopK({ ...args, prefilter: 'fast' as TopKPrefilter })).toThrow(TypeError);
    expect(() => scoreTopK({ ...args, prefilter: 'fast' as TopKPrefilter })).toThrow(/prefilter must be 'auto', 'off' or 'int8'/);
    expect(scoreTopK({ ...args, prefilter: 'off' })).toBe('float');
    expect(['int8', 'float']).toContain(scoreTopK({ ...args, prefilter: 'int8' }));
  });
});
