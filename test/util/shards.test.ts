import { describe, expect, it } from 'vitest';
import { shardRows } from '../../src/util/shards.js';

const indptrOf = (rowLengths: number[]): Int32Array => {
  const p = new Int32Array(rowLengths.length + 1);
  rowLengths.forEach((len, i) => (p[i + 1] = p[i] + len));
  return p;
};

describe('shardRows', () => {
  it('covers every row exactly once, in order', () => {
    const indptr = indptrOf(Array.from({ length: 101 }, (_, i) => (i * 37) % 11));
    const shards = shardRows(indptr, 7);
    expect(shards[0].begin).toBe(0);
    expect(shards.at(-1)!.end).toBe(101);
    for (let s = 1; s < shards.length; s++) expect(shards[s].begin).toBe(shards[s - 1].end);
    for (const s of shards) expect(s.end).toBeGreaterThan(s.begin);
  });

  it('balances by nonzeros, not by row count', () => {
    // One heavy row of 1000 entries then 1000 rows of 1: two shards should split at the heavy row.
    const indptr = indptrOf([1000, ...Array.from({ length: 1000 }, () => 1)]);
    const shards = shardRows(indptr, 2, 0);
    expect(shards).toHaveLength(2);
    expect(shards[0]).toEqual({ begin: 0, end: 1 });
  });

  it('handles no rows, one row and more shards than rows', () => {
    expect(shardRows(Int32Array.of(0), 4)).toEqual([]);
    expect(shardRows(Int32Array.of(0, 5), 4)).toEqual([{ begin: 0, end: 1 }]);
    const s = shardRows(indptrOf([0, 0, 0]), 8);
    expect(s.map((x) => x.end - x.begin).reduce((a, b) => a + b, 0)).toBe(3);
  });
});
