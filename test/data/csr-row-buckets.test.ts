import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/data/csr.js';
import { mergeRowBuckets } from '../../src/data/csr-row-buckets.js';
import { sharedArray, type SharedCtor } from '../../src/util/shared-memory.js';
import { referenceCsr } from '../reference/order.js';
import { mulberry32, randomKeys } from '../reference/random.js';

/** Triplets placed into their rows' buckets in input order, as mergeRowBuckets' callers place their entries, then merged. */
function mergedTriplets(rows: number, cols: number, r: Int32Array, c: Int32Array, w?: Float32Array) {
  const indptr = new Int32Array(rows + 1);
  for (const row of r) indptr[row + 1]++;
  for (let i = 0; i < rows; i++) indptr[i + 1] += indptr[i];
  const next = indptr.slice(0, rows);
  const bucketCols = new Int32Array(r.length);
  const bucketVals = w ? new Float32Array(r.length) : null;
  for (let e = 0; e < r.length; e++) {
    const p = next[r[e]]++;
    bucketCols[p] = c[e];
    if (bucketVals) bucketVals[p] = w![e];
  }
  return mergeRowBuckets(rows, cols, indptr, bucketCols, bucketVals);
}

/** Bit for bit, −0 and NaN included. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && new Uint32Array(a.buffer, a.byteOffset, a.length).every((w, i) => w === new Uint32Array(b.buffer, b.byteOffset, b.length)[i]);
}

describe('mergeRowBuckets of triplets placed in order', () => {
  it('gives buildCsr and a map of summed cells on random triplets, edge sizes included', () => {
    const rng = mulberry32(17);
    for (const [rows, cols, n] of [
      [0, 0, 0],
      [1, 1, 0],
      [5, 3, 0],
      [1, 1, 9],
      [3, 1, 40],
      [1, 4000, 3000],
      [50, 70, 4000],
      [20_000, 30_000, 20_000],
      [2_000, 500, 60_000],
    ]) {
      const r = randomKeys(rng, n, rows, 1.5);
      const c = randomKeys(rng, n, cols, 3);
      const w = Float32Array.from({ length: n }, () => Math.round(rng() * 40) / 8 - 1);
      const got = mergedTriplets(rows, cols, r, c, w);
      const want = buildCsr(rows, cols, r, c, [w]);
      const label = `${rows}×${cols}, ${n}`;
      expect(Array.from(got.indptr), label).toEqual(Array.from(want.indptr));
      expect(Array.from(got.indices), label).toEqual(Array.from(want.indices));
      expect(sameBits(got.values[0], want.values[0]), label).toBe(true);
      const plain = referenceCsr(rows, cols, r, c, [w]);
      expect(Array.from(got.indices)).toEqual(Array.from(plain.indices));
      expect(Array.from(got.values[0])).toEqual(Array.from(plain.values[0]));
      // Without values: the merged pattern alone.
      const pattern = mergedTriplets(rows, cols, r, c);
      expect(pattern.values).toEqual([]);
      expect(Array.from(pattern.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(pattern.indptr)).toEqual(Array.from(want.indptr));
    }
  });

  it('sums duplicates in input order to the same bits, with −0, NaN, infinities and values far apart', () => {
    const rng = mulberry32(23);
    const pick = [0, -0, 1e-30, -1e-30, 1e30, -1e30, 3.5, Number.NaN, Infinity, -Infinity, 0.1, 1 / 3];
    for (const [rows, cols, n] of [[1, 1, 50], [7, 5, 2_000], [300, 40, 20_000]]) {
      const r = randomKeys(rng, n, rows);
      const c = randomKeys(rng, n, cols, 2);
      const w = Float32Array.from({ length: n }, () => pick[Math.floor(rng() * pick.length)]);
      const got = mergedTriplets(rows, cols, r, c, w);
      const want = buildCsr(rows, cols, r, c, [w]);
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(sameBits(got.values[0], want.values[0]), `${rows}×${cols}, ${n}`).toBe(true);
    }
    // A lone −0 cell comes out +0, as buildCsr sums it into a zeroed cell.
    const lone = mergedTriplets(1, 2, Int32Array.from([0]), Int32Array.from([1]), Float32Array.from([-0]));
    expect(Object.is(lone.values[0][0], 0)).toBe(true);
  });

  it('keeps rows whose columns arrive sorted, and sorts the others, values following their columns', () => {
    const m = mergedTriplets(
      3,
      6,
      Int32Array.from([0, 0, 0, 2, 2, 2, 2, 0]),
      Int32Array.from([1, 3, 5, 4, 0, 4, 2, 3]),
      Float32Array.from([1, 2, 3, 10, 20, 30, 40, 4]),
    );
    expect(Array.from(m.indptr)).toEqual([0, 3, 3, 6]);
    expect(Array.from(m.indices)).toEqual([1, 3, 5, 0, 2, 4]);
    expect(Array.from(m.values[0])).toEqual([1, 6, 3, 20, 40, 40]);
  });
});

describe('mergeRowBuckets', () => {
  it('merges buckets placed by the caller, and keeps them in shared memory when they are shared', () => {
    for (const shared of [false, true]) {
      const make = <T extends Int32Array | Float32Array>(C: { new (n: number): T }, values: number[]): T => {
        if (!shared) return Object.assign(new C(values.length), values);
        const a = sharedArray(C as unknown as SharedCtor<T>, values.length);
        a.set(values);
        return a;
      };
      // Row 0 holds column 2 twice; row 1 is sorted already and has no repeat.
      const m = mergeRowBuckets(2, 4, make(Int32Array, [0, 3, 5]), make(Int32Array, [2, 0, 2, 1, 3]), make(Float32Array, [1, 2, 3, 4, 5]));
      expect(Array.from(m.indptr)).toEqual([0, 2, 4]);
      expect(Array.from(m.indices)).toEqual([0, 2, 1, 3]);
      expect(Array.from(m.values[0])).toEqual([2, 4, 4, 5]);
      for (const a of [m.indices, m.values[0]]) expect(a.buffer instanceof SharedArrayBuffer).toBe(shared);
    }
  });

  it('refuses offsets that do not end at the buckets, and values of another length', () => {
    expect(() => mergeRowBuckets(2, 3, Int32Array.of(0, 1, 3), Int32Array.of(0, 1), null)).toThrow(/indptr must hold 3 offsets ending at 2/);
    expect(() => mergeRowBuckets(1, 3, Int32Array.of(0, 2), Int32Array.of(0, 1), new Float32Array(3))).toThrow(/values have length 3, expected 2/);
  });
});
