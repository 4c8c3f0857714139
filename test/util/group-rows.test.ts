import { describe, expect, it } from 'vitest';
import { groupRows, placeColumn } from '../../src/util/group-rows.js';
import { mulberry32 } from '../reference/random.js';

/** The reference: rows stably sorted by key with a comparator, and group bounds by counting. */
function reference(rows: Int32Array, key: Int32Array, buckets: number): { order: number[]; ptr: number[] } {
  const order = Array.from(rows).sort((a, b) => key[a] - key[b]);
  const ptr = new Array<number>(buckets + 1).fill(0);
  for (const r of rows) ptr[key[r] + 1]++;
  for (let g = 0; g < buckets; g++) ptr[g + 1] += ptr[g];
  return { order, ptr };
}

describe('groupRows and placeColumn', () => {
  it('group rows stably by key, as a comparator sort does, and place every column type alike', () => {
    const rng = mulberry32(5);
    for (const [n, buckets] of [[0, 0], [0, 3], [1, 1], [40, 1], [200, 7], [5000, 1000], [3000, 100_000]]) {
      const key = Int32Array.from({ length: n }, () => Math.floor(rng() ** 2 * buckets));
      // A subset of the entries, ascending, as callers pass them.
      const rows = Int32Array.from(Array.from({ length: n }, (_, i) => i).filter(() => rng() < 0.8));
      const groups = groupRows(rows, key, buckets);
      const want = reference(rows, key, buckets);
      expect(Array.from(groups.ptr)).toEqual(want.ptr);
      const f64 = Float64Array.from({ length: n }, () => rng() * 1e12);
      const f32 = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? Number.NaN : rng()));
      const u8 = Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
      expect(Array.from(placeColumn(groups, rows, Int32Array.from({ length: n }, (_, i) => i), new Int32Array(rows.length)))).toEqual(want.order);
      expect(Array.from(placeColumn(groups, rows, f64, new Float64Array(rows.length)))).toEqual(want.order.map((r) => f64[r]));
      expect(Array.from(placeColumn(groups, rows, f32, new Float32Array(rows.length)))).toEqual(want.order.map((r) => f32[r]));
      expect(Array.from(placeColumn(groups, rows, u8, new Uint8Array(rows.length)))).toEqual(want.order.map((r) => u8[r]));
    }
  });

  it('reject keys outside the buckets, bad bucket counts and mismatched outputs', () => {
    const rows = Int32Array.from([0, 1, 2]);
    expect(() => groupRows(rows, Int32Array.from([0, 3, 1]), 3)).toThrow(/key 3 of row 1 is not an integer in \[0, 3\)/);
    expect(() => groupRows(rows, Int32Array.from([0, -1, 1]), 3)).toThrow(RangeError);
    expect(() => groupRows(rows, Float64Array.from([0, 0.5, 1]), 3)).toThrow(RangeError);
    expect(() => groupRows(rows, Int32Array.from([0, 0, 0]), -1)).toThrow(/buckets must be an integer/);
    const groups = groupRows(rows, Int32Array.from([0, 0, 0]), 1);
    expect(() => placeColumn(groups, rows, new Float32Array(3), new Float32Array(2))).toThrow(/3 rows, 3 places, 2 outputs/);
  });
});
