/**
 * Selecting entries of an Interactions matrix by a per-entry mask. Splits mark entries as train or
 * test and then cut the matrix in one pass, so rows stay sorted and shapes stay aligned.
 */
import type { Interactions } from '../types.js';
import type { SparseRows } from './sparse.js';

/** The entries p with keep[p] = 1, as an Interactions matrix of the same shape and dictionaries. */
export function keepEntries(inter: Interactions, keep: Uint8Array): Interactions {
  const rows = inter.users.size;
  let nnz = 0;
  for (let p = 0; p < keep.length; p++) nnz += keep[p];
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const pref = new Float32Array(nnz);
  const weight = new Float32Array(nnz);
  let w = 0;
  for (let u = 0; u < rows; u++) {
    for (let p = inter.indptr[u]; p < inter.indptr[u + 1]; p++) {
      if (keep[p] === 0) continue;
      indices[w] = inter.indices[p];
      pref[w] = inter.pref[p];
      weight[w] = inter.weight[p];
      w++;
    }
    indptr[u + 1] = w;
  }
  const out: Interactions = { users: inter.users, items: inter.items, indptr, indices, pref, weight };
  return inter.trust ? { ...out, trust: inter.trust } : out;
}

/** The columns of the entries p with mark[p] = 1, as a binary SparseRows of the same shape. */
export function markedRows(inter: Interactions, mark: Uint8Array): SparseRows {
  const rows = inter.users.size;
  let nnz = 0;
  for (let p = 0; p < mark.length; p++) nnz += mark[p];
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  let w = 0;
  for (let u = 0; u < rows; u++) {
    for (let p = inter.indptr[u]; p < inter.indptr[u + 1]; p++) if (mark[p] === 1) indices[w++] = inter.indices[p];
    indptr[u + 1] = w;
  }
  return { rows, cols: inter.items.size, indptr, indices };
}

/** Throw unless an Interactions matrix is internally consistent (lengths, ranges). */
export function checkInteractions(inter: Interactions, name: string): void {
  const rows = inter.users.size;
  const nnz = inter.indices.length;
  if (inter.indptr.length !== rows + 1) {
    throw new RangeError(`${name}: indptr has length ${inter.indptr.length}, expected users.size + 1 = ${rows + 1}`);
  }
  if (inter.indptr[rows] !== nnz) throw new RangeError(`${name}: indptr ends at ${inter.indptr[rows]}, expected ${nnz}`);
  if (inter.pref.length !== nnz || inter.weight.length !== nnz) {
    throw new RangeError(`${name}: pref/weight lengths ${inter.pref.length}/${inter.weight.length} differ from indices ${nnz}`);
  }
  const cols = inter.items.size;
  for (let p = 0; p < nnz; p++) {
    const c = inter.indices[p];
    if (!(c >= 0 && c < cols)) throw new RangeError(`${name}: item ${c} at entry ${p} out of range [0, ${cols})`);
  }
}
