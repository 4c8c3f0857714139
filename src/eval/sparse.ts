/**
 * Sparse row sets used by evaluation: which items each user holds out, has heard, or was shown.
 * Only structure (no values) matters here; rows are sorted ascending like every CSR in the engine.
 */
import type { Interactions } from '../types.js';
import { lowerBound } from '../util/lower-bound.js';

/** Row pointers and sorted column indices, e.g. each user's training items (for exclusion). */
export interface RowSets {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
}

/** A binary users × items matrix, e.g. a test set of held-out positives. */
export interface SparseRows extends RowSets {
  readonly rows: number;
  readonly cols: number;
}

/** The structure of an Interactions matrix, as SparseRows. */
export function interactionRows(inter: Interactions): SparseRows {
  return { rows: inter.users.size, cols: inter.items.size, indptr: inter.indptr, indices: inter.indices };
}

/** Position of column `col` in row `row` of `m` (a binary search: rows are sorted), or −1. */
export function findInRow(m: RowSets, row: number, col: number): number {
  const end = m.indptr[row + 1];
  const lo = lowerBound(m.indices, col, m.indptr[row], end);
  return lo < end && m.indices[lo] === col ? lo : -1;
}

/** Only the positive (pref > 0) entries of an Interactions matrix. */
export function positiveRows(inter: Interactions): SparseRows {
  const rows = inter.users.size;
  const indptr = new Int32Array(rows + 1);
  let nnz = 0;
  for (let p = 0; p < inter.indices.length; p++) if (inter.pref[p] > 0) nnz++;
  const indices = new Int32Array(nnz);
  let w = 0;
  for (let u = 0; u < rows; u++) {
    for (let p = inter.indptr[u]; p < inter.indptr[u + 1]; p++) if (inter.pref[p] > 0) indices[w++] = inter.indices[p];
    indptr[u + 1] = w;
  }
  return { rows, cols: inter.items.size, indptr, indices };
}

/** Number of distinct users holding each item (item popularity as used by novelty and lift). */
export function itemUserCounts(m: SparseRows): Float64Array {
  const pop = new Float64Array(m.cols);
  for (let p = 0; p < m.indptr[m.rows]; p++) pop[m.indices[p]]++;
  return pop;
}

/** Check a SparseRows value for shape consistency; throws naming the argument. */
export function checkSparseRows(m: SparseRows, name: string): void {
  if (m.indptr.length !== m.rows + 1) {
    throw new RangeError(`${name}: indptr has length ${m.indptr.length}, expected rows + 1 = ${m.rows + 1}`);
  }
  const nnz = m.indptr[m.rows];
  if (nnz > m.indices.length) throw new RangeError(`${name}: indptr ends at ${nnz} but indices has ${m.indices.length}`);
  for (let p = 0; p < nnz; p++) {
    const c = m.indices[p];
    if (!(c >= 0 && c < m.cols)) throw new RangeError(`${name}: column ${c} at entry ${p} out of range [0, ${m.cols})`);
  }
}
