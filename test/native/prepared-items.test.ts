import { describe, expect, it } from 'vitest';

import { nativeInfo, prepareItems, scoreTopKAsync } from '../../src/native/index.js';
import { topKRef } from '../reference/als.js';
import { expectSameBits, runTopK, type TopKProblemArgs } from './topk-run.js';
import { mulberry32, randomFloats, randomInts, randomTopKProblem } from '../reference/random.js';
import { sharedCopy } from '../reference/shared.js';

// Items quantized once (prepareItems) must give the float kernel's results bit for bit, as the
// per-call quantization does, and calls must refuse prepared items made from other memory.
const hasPrefilter = nativeInfo().topkPrefilter !== 'none';
const byDefault = nativeInfo().topkPrefilter === 'vnni' ? 'int8' : 'float';

describe('prepareItems', () => {
  it.runIf(hasPrefilter)('gives the float kernel\'s results bit for bit, sync and async, with bias and exclusions', async () => {
    const ks = [1, 3, 16, 17, 32, 64, 100, 256];
    for (let trial = 0; trial < 40; trial++) {
      const rng = mulberry32(700 + trial);
      const k = ks[trial % ks.length];
      const users = 1 + Math.floor(rng() * 40);
      const items = trial % 13 === 0 ? 0 : Math.floor(rng() * 3000);
      const n = 1 + Math.floor(rng() * (trial % 5 === 0 ? 500 : 60));
      const ints = trial % 2 === 0 ? 2 : undefined; // integer factors: exact products, real ties
      const prob = randomTopKProblem(rng, { users, items, k }, { ints, density: 0.05, fullUsers: users > 3 ? [2] : [] });
      const V = sharedCopy(prob.V);
      const itemBias = trial % 3 === 0 ? sharedCopy(ints ? randomInts(rng, items, -1, 1) : randomFloats(rng, items)) : undefined;
      const prepared = prepareItems({ V, factors: k, itemBias });
      expect(prepared.usable).toBe(true);
      expect([prepared.items, prepared.factors]).toEqual([items, k]);
      const p: TopKProblemArgs = { U: prob.U, V, factors: k, userBegin: users > 2 ? 1 : 0, userEnd: users, n, exclude: prob.exclude, itemBias };
      const float = runTopK(p, 'off');
      const viaPrepared = runTopK({ ...p, prepared }, 'int8');
      if (items > 0) expect(viaPrepared.path).toBe('int8');
      expectSameBits(viaPrepared, float);
      if (ints) {
        const want = topKRef(prob.U, V, k, p.userBegin, p.userEnd, n, prob.exclude, itemBias);
        expect(Array.from(viaPrepared.outItems)).toEqual(Array.from(want.items));
      }
      const rows = p.userEnd - p.userBegin;
      const outItems = new Int32Array(new SharedArrayBuffer(rows * n * 4));
      const outScores = new Float32Array(new SharedArrayBuffer(rows * n * 4));
      await scoreTopKAsync({ ...p, prepared, prefilter: 'int8', outItems, outScores });
      expectSameBits({ outItems, outScores }, float);
    }
  });

  it("lets 'auto' take the pre-filter (with VNNI) from one user, where it would not quantize per call", () => {
    const rng = mulberry32(3);
    const k = 32;
    const items = 4096;
    const V = sharedCopy(randomFloats(rng, items * k));
    const U = randomFloats(rng, 40 * k);
    const prepared = prepareItems({ V, factors: k });
    const call = (users: number, n: number, withPrepared: boolean) =>
      runTopK({ U, V, factors: k, userBegin: 0, userEnd: users, n, prepared: withPrepared ? prepared : undefined }).path;
    expect(call(1, 50, false)).toBe('float');
    expect(call(1, 50, true)).toBe(byDefault);
    expect(call(16, 200, true)).toBe(byDefault); // few users: whatever n
    expect(call(40, 10, true)).toBe(byDefault); // ≥ 256 items per result
    expect(call(40, 50, true)).toBe('float'); // more users and few items per result: V stays in cache
    expect(runTopK({ U, V, factors: k, userBegin: 0, userEnd: 1, n: 5, prepared }, 'off').path).toBe('float');
  });

  it('leaves values it cannot bound to the float kernel (not usable), with the same results', () => {
    const rng = mulberry32(4);
    const k = 16;
    const V = sharedCopy(randomFloats(rng, 3000 * k));
    V[7 * k + 2] = Number.NaN;
    const prepared = prepareItems({ V, factors: k });
    expect(prepared.usable).toBe(false);
    const p: TopKProblemArgs = { U: randomFloats(rng, 5 * k), V, factors: k, userBegin: 0, userEnd: 5, n: 10, prepared };
    const got = runTopK(p, 'int8');
    expect(got.path).toBe('float');
    expectSameBits(got, runTopK({ ...p, prepared: undefined }, 'off'));
    const wide = sharedCopy(randomFloats(rng, 100 * 300));
    expect(prepareItems({ V: wide, factors: 300 }).usable).toBe(false); // above 256 factors
  });

  it('accepts views of the same memory and refuses prepared items made from other memory, factors or bias', () => {
    const rng = mulberry32(5);
    const k = 8;
    const V = sharedCopy(randomFloats(rng, 500 * k));
    const bias = sharedCopy(randomFloats(rng, 500));
    const prepared = prepareItems({ V, factors: k });
    const base: TopKProblemArgs = { U: randomFloats(rng, 3 * k), V, factors: k, userBegin: 0, userEnd: 3, n: 4, prepared };
    const sameMemory = new Float32Array(V.buffer as SharedArrayBuffer, V.byteOffset, V.length); // as another thread receives it
    expect(prepared.matches({ V: sameMemory, factors: k })).toBe(true);
    expectSameBits(runTopK({ ...base, V: sameMemory }), runTopK({ ...base, prepared: undefined }, 'off'));
    const copy = sharedCopy(V);
    expect(prepared.matches({ V: copy, factors: k })).toBe(false);
    expect(prepared.matches({ V, factors: k, itemBias: bias })).toBe(false);
    expect(() => runTopK({ ...base, V: copy })).toThrow(RangeError);
    expect(() => runTopK({ ...base, V: copy })).toThrow(/prepared was made from other item factors/);
    expect(() => runTopK({ ...base, V: V.subarray(0, 250 * k) })).toThrow(RangeError);
    expect(() => runTopK({ ...base, itemBias: bias })).toThrow(RangeError);
    expect(() => runTopK({ ...base, factors: 4, U: randomFloats(rng, 6 * 4), userEnd: 6 })).toThrow(RangeError);
    const withBias = prepareItems({ V, factors: k, itemBias: bias });
    expect(() => runTopK({ ...base, prepared: withBias })).toThrow(RangeError);
    expectSameBits(runTopK({ ...base, prepared: withBias, itemBias: bias }), runTopK({ ...base, prepared: undefined, itemBias: bias }, 'off'));
  });

  it('refuses anything but a PreparedItems, and arrays that are not shared', () => {
    const rng = mulberry32(6);
    const k = 4;
    const V = sharedCopy(randomFloats(rng, 50 * k));
    const prepared = prepareItems({ V, factors: k });
    const base: TopKProblemArgs = { U: randomFloats(rng, 2 * k), V, factors: k, userBegin: 0, userEnd: 2, n: 3 };
    const lookalike = { items: prepared.items, factors: k, usable: true, bytes: 0, matches: () => true };
    const disguised = Object.setPrototypeOf({}, Object.getPrototypeOf(prepared));
    for (const bad of [lookalike, disguised, V, 1, 'x', null]) {
      expect(() => runTopK({ ...base, prepared: bad as never })).toThrow(TypeError);
      expect(() => runTopK({ ...base, prepared: bad as never })).toThrow(/prepared must be a PreparedItems/);
    }
    expect(() => prepareItems({ V: randomFloats(rng, 50 * k), factors: k })).toThrow(/V must be a view over a SharedArrayBuffer/);
    expect(() => prepareItems({ V, factors: k, itemBias: randomFloats(rng, 50) })).toThrow(/itemBias must be a view over a SharedArrayBuffer/);
    expect(() => prepareItems({ V, factors: 3 })).toThrow(RangeError);
    expect(() => prepareItems({ V, factors: k, itemBias: sharedCopy(randomFloats(rng, 49)) })).toThrow(RangeError);
    expect(() => prepareItems({ V: new Int32Array(4) as never, factors: 1 })).toThrow(TypeError);
    expect(() => prepareItems(undefined as never)).toThrow(TypeError);
  });

  it('handles no items and a single factor', () => {
    const empty = prepareItems({ V: new Float32Array(new SharedArrayBuffer(0)), factors: 1 });
    expect(empty.items).toBe(0);
    const out = runTopK({ U: new Float32Array([1, 2]), V: new Float32Array(new SharedArrayBuffer(0)), factors: 1, userBegin: 0, userEnd: 2, n: 2, prepared: empty });
    expect(Array.from(out.outItems)).toEqual([-1, -1, -1, -1]);
    const V = sharedCopy(new Float32Array([3, -1, 2, 2]));
    const one = prepareItems({ V, factors: 1 });
    const got = runTopK({ U: new Float32Array([1, -2]), V, factors: 1, userBegin: 0, userEnd: 2, n: 3, prepared: one }, 'int8');
    expect(Array.from(got.outItems)).toEqual([0, 2, 3, 1, 2, 3]);
  });
});
