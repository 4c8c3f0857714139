import { buildCsr } from '../../src/data/csr.js';
import { Dictionary } from '../../src/data/dictionary.js';
import type { SparseRows } from '../../src/eval/sparse.js';
import type { Interactions } from '../../src/types.js';

/** Interactions from (user, item, pref, weight) rows; ids are the indices as strings. */
export function interactions(nUsers: number, nItems: number, rows: [number, number, number?, number?][]): Interactions {
  const u = Int32Array.from(rows.map((r) => r[0]));
  const i = Int32Array.from(rows.map((r) => r[1]));
  const pref = Float32Array.from(rows.map((r) => r[2] ?? 1));
  const weight = Float32Array.from(rows.map((r) => r[3] ?? 1));
  const m = buildCsr(nUsers, nItems, u, i, [pref, weight]);
  return {
    users: Dictionary.from(Array.from({ length: nUsers }, (_, k) => `u${k}`)),
    items: Dictionary.from(Array.from({ length: nItems }, (_, k) => `i${k}`)),
    indptr: m.indptr,
    indices: m.indices,
    pref: m.values[0],
    weight: m.values[1],
  };
}

/** Binary rows from one item list per user. */
export function rowsOf(nItems: number, lists: number[][]): SparseRows {
  const indptr = new Int32Array(lists.length + 1);
  lists.forEach((l, r) => (indptr[r + 1] = indptr[r] + l.length));
  return { rows: lists.length, cols: nItems, indptr, indices: Int32Array.from(lists.flatMap((l) => [...l].sort((a, b) => a - b))) };
}

/** Items of row r as a plain array. */
export function row(m: { indptr: Int32Array; indices: Int32Array }, r: number): number[] {
  return Array.from(m.indices.subarray(m.indptr[r], m.indptr[r + 1]));
}

/** A seeded random Interactions matrix with some negative (pref 0) entries. */
export function randomInteractions(nUsers: number, nItems: number, seed: number): Interactions {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const rows: [number, number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = Math.floor(rand() * 30);
    const seen = new Set<number>();
    for (let j = 0; j < n; j++) {
      const i = Math.floor(rand() * nItems);
      if (seen.has(i)) continue;
      seen.add(i);
      rows.push([u, i, rand() < 0.15 ? 0 : 1, 1 + Math.floor(rand() * 20)]);
    }
  }
  return interactions(nUsers, nItems, rows);
}
