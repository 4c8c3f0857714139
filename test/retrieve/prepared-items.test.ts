import { describe, expect, it } from 'vitest';

import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { Model } from '../../src/model/model.js';
import { nativeInfo, scoreTopK } from '../../src/native/index.js';
import { PreparedItemsCache, preparedItemsOf } from '../../src/retrieve/prepared-items.js';
import { fillRandom } from '../../src/train/init.js';
import { sharedArray } from '../../src/util/shared-memory.js';

// Only builds whose 'auto' takes the 8-bit pre-filter (VNNI) prepare items at all.
const prepares = nativeInfo().topkPrefilter === 'vnni';

describe('PreparedItemsCache', () => {
  it('builds on the thread pool, once for overlapping callers, and again for other memory', async () => {
    const k = 16;
    const V = sharedArray(Float32Array, 3000 * k);
    fillRandom(V, 1, 1);
    const cache = new PreparedItemsCache();
    expect(cache.current(Float32Array.from(V), k)).toBeUndefined(); // not shared: never prepared
    expect(cache.current(V, k)).toBeUndefined(); // starts a build, answers at once
    const [a, b] = await Promise.all([cache.getAsync(V, k), cache.getAsync(V, k)]);
    expect(a).toBe(b);
    if (!prepares) {
      expect(a).toBeUndefined();
      expect(cache.builds).toBe(0);
      return;
    }
    expect(cache.builds).toBe(1);
    expect(a?.items).toBe(3000);
    expect(cache.current(V, k)).toBe(a);
    expect(cache.current(new Float32Array(V.buffer as unknown as SharedArrayBuffer, V.byteOffset, V.length), k)).toBe(a); // the same memory, another view
    const other = sharedArray(Float32Array, 3000 * k);
    other.set(V);
    const c = await cache.getAsync(other, k);
    expect(c).not.toBe(a);
    expect(c?.matches({ V: other, factors: k })).toBe(true);
    expect(cache.builds).toBe(2);
  });

  it('starts one build while views of the same memory keep arriving (a worker gets new views with every task)', async () => {
    const k = 16;
    const V = sharedArray(Float32Array, 3000 * k);
    fillRandom(V, 2, 1);
    const cache = new PreparedItemsCache();
    const view = () => new Float32Array(V.buffer as unknown as SharedArrayBuffer, V.byteOffset, V.length);
    for (let t = 0; t < 20; t++) expect(cache.current(view(), k)).toBeUndefined();
    const got = await cache.getAsync(view(), k);
    expect(cache.builds).toBe(prepares ? 1 : 0);
    if (prepares) expect(cache.current(view(), k)).toBe(got);
  });
});

describe('Model with prepared items', () => {
  it('answers after warm() (items quantized) exactly as the float kernel alone does', async () => {
    const users = 400;
    const items = 6000;
    const k = 32;
    const m = syntheticMatrix({ users, items, nnz: 20_000, seed: 3 });
    const userFactors = sharedArray(Float32Array, users * k);
    const itemFactors = sharedArray(Float32Array, items * k);
    fillRandom(userFactors, 1, 1);
    fillRandom(itemFactors, 2, 1);
    const data = {
      params: { factors: k, iterations: 1, regularization: 0.01, alpha: 10, confidence: 'linear' as const, epsilon: 1, solver: 'cg' as const, cgSteps: 3, seed: 1 },
      users: Dictionary.from(Array.from({ length: users }, (_, i) => `u${i}`)),
      items: Dictionary.from(Array.from({ length: items }, (_, i) => `t${i}`)),
      userFactors,
      itemFactors,
      seen: { indptr: m.indptr, indices: m.indices, pref: m.pref, weight: m.weight },
      history: [],
    };
    // What the float kernel alone answers (prefilter 'off'), as a cold model's first call could.
    const floatTop = (u: number, n: number) => {
      const outItems = new Int32Array(n);
      const outScores = new Float32Array(n);
      scoreTopK({ U: userFactors, V: itemFactors, factors: k, userBegin: u, userEnd: u + 1, n, exclude: { indptr: m.indptr, indices: m.indices }, outItems, outScores, prefilter: 'off' });
      return Array.from(outItems, (i, j) => ({ trackId: `t${i}`, score: outScores[j] }));
    };
    const blockOut = { outItems: new Int32Array(50 * 20), outScores: new Float32Array(50 * 20) };
    scoreTopK({ U: userFactors, V: itemFactors, factors: k, userBegin: 0, userEnd: 50, n: 20, exclude: { indptr: m.indptr, indices: m.indices }, ...blockOut, prefilter: 'off' });
    const warm = await new Model(data).warm();
    if (prepares) expect(preparedItemsOf(warm.data).current(warm.data.itemFactors, k)?.usable).toBe(true);
    for (const u of [0, 7, 99]) {
      const got = await warm.recommend(`u${u}`, { n: 15 });
      expect(got.map((r) => [r.trackId, r.score])).toEqual(floatTop(u, 15).map((r) => [r.trackId, r.score]));
    }
    const similar = await warm.similarTracks('t5', 10);
    expect(similar.length).toBe(10);
    expect(similar.map((r) => r.trackId)).not.toContain('t5');
    const block = await warm.scoreBlock(undefined, 0, 50, 20);
    expect(Array.from(block.items)).toEqual(Array.from(blockOut.outItems));
    expect(Array.from(block.scores)).toEqual(Array.from(blockOut.outScores));
  });
});
