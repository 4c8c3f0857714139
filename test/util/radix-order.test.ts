import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/data/csr.js';
import { ArrayPool } from '../../src/util/array-pool.js';
import { bitsFor, orderByKeys, sortPacked, type KeyField } from '../../src/util/radix-order.js';
import { countingSortChain, countingSortCsr, referenceCsr, referenceOrder } from '../reference/order.js';
import { mulberry32, randomKeys, type Rng } from '../reference/random.js';
import { bytesOf } from '../reference/shared.js';


function shuffled(rng: Rng, n: number): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

describe('orderByKeys', () => {
  it('matches a stable comparator sort on random compound keys of every width', () => {
    const rng = mulberry32(11);
    // Bucket counts from one value (no bits) to 2^31 (31 bits), so the packed keys span 0 to 93
    // bits: one word, two words, a digit across the word boundary, and more than one 64-bit group.
    const shapes = [[1], [2], [2048], [2049], [1 << 20, 300_000, 56], [2 ** 31, 5], [2 ** 31, 2 ** 31], [2 ** 31, 2 ** 31, 2 ** 31], [7, 1, 3]];
    for (const buckets of shapes) {
      for (const n of [0, 1, 2, 17, 5000]) {
        const fields: KeyField[] = buckets.map((b) => ({ key: randomKeys(rng, n, b, 2), buckets: b }));
        const order = shuffled(rng, n);
        const want = Array.from(referenceOrder(order, fields));
        expect(Array.from(orderByKeys(order, fields)), `buckets ${buckets} n ${n}`).toEqual(want);
        if (buckets.every((b) => b <= 1 << 20)) expect(Array.from(countingSortChain(order, fields))).toEqual(want);
      }
    }
  });

  it('orders arrays large enough to be advised onto huge pages as the counting-sort chain does', () => {
    // 2.5 M entries: every packed-key, digit and index array is past the size largeArray advises.
    const rng = mulberry32(23);
    const n = 2_500_000;
    const fields: KeyField[] = [
      { key: randomKeys(rng, n, 1 << 20, 2), buckets: 1 << 20 },
      { key: randomKeys(rng, n, 300_000, 3), buckets: 300_000 },
      { key: randomKeys(rng, n, 56), buckets: 56 },
    ];
    const order = shuffled(rng, n).subarray(0, n - 1000);
    const got = orderByKeys(order, fields);
    const want = countingSortChain(order, fields);
    expect(got.length).toBe(want.length);
    let firstDiff = -1;
    for (let i = 0; i < got.length && firstDiff < 0; i++) if (got[i] !== want[i]) firstDiff = i;
    expect(firstDiff).toBe(-1);
  });

  it('keeps equal keys in their given order and orders a subset of entries', () => {
    const key = Int32Array.from([3, 1, 3, 1, 0, 3]);
    expect(Array.from(orderByKeys(Int32Array.from([5, 0, 2, 3, 1]), [{ key, buckets: 4 }]))).toEqual([3, 1, 5, 0, 2]);
  });

  it('does not change its input and returns the packed keys it sorted by', () => {
    const order = Int32Array.from([2, 0, 1]);
    const user = Int32Array.from([1, 1, 0]);
    const track = Int32Array.from([9, 4, 4]);
    const sorted = sortPacked(order, [
      { key: user, buckets: 3 },
      { key: track, buckets: 10 },
    ]);
    expect(Array.from(order)).toEqual([2, 0, 1]);
    expect(Array.from(sorted.order)).toEqual([2, 1, 0]);
    expect(Array.from(sorted.lo)).toEqual([(0 << 4) | 4, (1 << 4) | 4, (1 << 4) | 9]);
    expect(sorted.hi).toBeNull();
    // Carried words come back in the sorted order, in place of the entry indices.
    const carry = Int32Array.from([20, 0, 10]);
    const carried = sortPacked(order, [{ key: user, buckets: 3 }, { key: track, buckets: 10 }], carry);
    expect(Array.from(carried.order)).toEqual([20, 10, 0]);
    expect(Array.from(carry)).toEqual([20, 0, 10]);
    expect(Array.from(sortPacked(Int32Array.from([0]), [{ key: user, buckets: 3 }], Int32Array.from([7])).order)).toEqual([7]);
    expect(() => sortPacked(order, [{ key: user, buckets: 3 }], new Int32Array(2))).toThrow(/carry has length 2, expected 3/);
  });

  it('sorts all entries given as a count like the identity order, with and without carried words, returning fresh arrays', () => {
    const rng = mulberry32(23);
    for (const buckets of [[1], [5], [1 << 20, 300_000], [1 << 20, 300_000, 56], [3, 1]]) {
      for (const n of [0, 1, 2, 3000]) {
        const fields: KeyField[] = buckets.map((b) => ({ key: randomKeys(rng, n, b, 2), buckets: b }));
        const identity = Int32Array.from({ length: n }, (_, i) => i);
        const want = sortPacked(identity, fields);
        const got = sortPacked(n, fields);
        expect(Array.from(got.order), `buckets ${buckets} n ${n}`).toEqual(Array.from(want.order));
        expect(Array.from(got.lo)).toEqual(Array.from(want.lo));
        expect(got.hi && Array.from(got.hi)).toEqual(want.hi && Array.from(want.hi));
        const carry = Int32Array.from({ length: n }, () => Math.floor(rng() * 2 ** 31));
        const carried = sortPacked(n, fields, carry);
        expect(Array.from(carried.order)).toEqual(Array.from(want.order, (e) => carry[e]));
        // Whatever number of passes moved entries (none when all keys are equal), the result
        // never aliases an input.
        expect(carried.order).not.toBe(carry);
        expect(want.order).not.toBe(identity);
      }
    }
    expect(() => sortPacked(3, [{ key: Int32Array.from([0, 1]), buckets: 2 }])).toThrow(/a key field has length 2, expected 3/);
  });

  it('refuses keys outside their field', () => {
    const order = Int32Array.from([0, 1]);
    expect(() => orderByKeys(order, [{ key: Int32Array.from([0, 5]), buckets: 5 }])).toThrow(/key 5 of entry 1 is not an integer in \[0, 5\)/);
    expect(() => orderByKeys(order, [{ key: Float64Array.from([0, 0.5]), buckets: 5 }])).toThrow(/key 0.5/);
    expect(() => orderByKeys(order, [{ key: Int32Array.from([0, -1]), buckets: 5 }])).toThrow(/key -1/);
    expect(() => bitsFor(2 ** 31 + 1)).toThrow(/buckets/);
  });
});

describe('buildCsr', () => {
  it('matches a map of summed cells on random triplets, edge sizes included', () => {
    const rng = mulberry32(5);
    for (const [rows, cols, n] of [
      [0, 0, 0],
      [1, 1, 0],
      [1, 1, 9],
      [3, 1, 40],
      [1, 4000, 3000],
      [50, 70, 4000],
      [20_000, 30_000, 20_000],
      [2, 2 ** 31 - 1, 100],
    ]) {
      const r = randomKeys(rng, n, rows, 1.5);
      const c = randomKeys(rng, n, cols, 3);
      const w = Float32Array.from({ length: n }, () => Math.round(rng() * 40) / 8 - 1);
      const v = Float64Array.from({ length: n }, () => rng());
      const got = buildCsr(rows, cols, r, c, [w, v]);
      const want = referenceCsr(rows, cols, r, c, [w, v]);
      expect(Array.from(got.indptr), `${rows}×${cols}, ${n}`).toEqual(Array.from(want.indptr));
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(got.values[0])).toEqual(Array.from(want.values[0]));
      expect(Array.from(got.values[1])).toEqual(Array.from(want.values[1]));
      if (cols < 1 << 20) expect(countingSortCsr(rows, cols, r, c, [w, v])).toEqual(got);
    }
  });

  it('sums one float channel carried through the sort to the same bits as read through the order', () => {
    const rng = mulberry32(9);
    for (const [rows, cols, n] of [[0, 0, 0], [1, 1, 1], [1, 1, 9], [50, 70, 4000], [20_000, 30_000, 20_000]]) {
      const r = randomKeys(rng, n, rows, 1.5);
      const c = randomKeys(rng, n, cols, 3);
      const w = Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? Number.NaN : rng() * 3 - 1));
      const carried = buildCsr(rows, cols, r, c, [w]);
      // A Float64Array of the same values takes the gathering path.
      const gathered = buildCsr(rows, cols, r, c, [Float64Array.from(w)]);
      expect(carried).toEqual(gathered);
      expect(Array.from(carried.values[0])).toEqual(Array.from(referenceCsr(rows, cols, r, c, [w]).values[0]));
    }
  });

  it('names the entry whose row or column is out of range', () => {
    const one = Float32Array.from([1, 1]);
    expect(() => buildCsr(2, 3, Int32Array.from([0, 2]), Int32Array.from([0, 1]), [one])).toThrow(/row index 2 at entry 1 out of range \[0, 2\)/);
    expect(() => buildCsr(2, 3, Int32Array.from([0, 1]), Int32Array.from([-1, 1]), [one])).toThrow(/column index -1 at entry 0/);
    expect(() => buildCsr(2, 3, Int32Array.from([0, 1]), Int32Array.from([0]), [one])).toThrow(/colIdx has length 1, expected 2/);
    expect(() => buildCsr(2, 3, Int32Array.from([0, 1]), Int32Array.from([0, 1]), [new Float32Array(3)])).toThrow(/channel 0 has length 3, expected 2/);
  });
});

describe('with an array pool', () => {
  // Large enough that the pool keeps the arrays (it lets go of buffers under 1 MiB).
  const n = 300_000;
  /** Takes every array the pool kept and overwrites it, as the next step of a stage would. */
  function scribble(pool: ArrayPool): void {
    for (let guard = 0; pool.keptBytes > 0 && guard < 64; guard++) {
      pool.take(Uint32Array, n, { zeroed: false }).fill(0xdeadbeef);
      pool.take(Uint8Array, n, { zeroed: false }).fill(0xab);
    }
    expect(pool.keptBytes).toBe(0);
  }

  it('sortPacked gives the same result, returns its scratch, and keeps none of the result', () => {
    const rng = mulberry32(41);
    const fields: KeyField[] = [1 << 20, 300_000, 56].map((b) => ({ key: randomKeys(rng, n, b, 2), buckets: b }));
    const order = shuffled(rng, n);
    const carry = Int32Array.from({ length: n }, () => Math.floor(rng() * 2 ** 31));
    const want = sortPacked(order, fields, carry);
    const pool = new ArrayPool(n);
    const got = sortPacked(order, fields, carry, pool);
    expect(pool.keptBytes).toBeGreaterThanOrEqual(4 * n); // at least the spare keys
    scribble(pool);
    // (Byte comparisons: a failing toEqual would print a diff of 300,000 elements.)
    expect(bytesOf(got.order).equals(bytesOf(want.order))).toBe(true);
    expect(bytesOf(got.lo).equals(bytesOf(want.lo))).toBe(true);
    expect(bytesOf(got.hi!).equals(bytesOf(want.hi!))).toBe(true);
  });
});
