/**
 * Item-kNN's lists for a range of users: each item the user holds adds its kept neighbours'
 * similarities, and the k best unheard items are kept. Shared by the one-thread path and the pool.
 */
import type { RowSets } from './sparse.js';
import { TopK } from './topk.js';

/** A fitted item-kNN: the positive users × items matrix and items × n neighbours. */
export interface KnnModel {
  userPtr: Int32Array;
  userCols: Int32Array;
  neighbourIds: Int32Array;
  neighbourSims: Float32Array;
  neighbours: number;
}

/**
 * Writes rows [begin, end) of `out` (users.length × k, −1 padded): the top-k for users[r], best
 * first, ties to the lower item, without the items in the user's row of `exclude`.
 */
export function knnLists(m: KnnModel, users: Int32Array, k: number, exclude: RowSets, begin: number, end: number, out: Int32Array): void {
  const { userPtr, userCols, neighbourIds, neighbourSims, neighbours: n } = m;
  const nItems = neighbourIds.length / n;
  const rows = userPtr.length - 1;
  const score = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const stamp = new Int32Array(nItems);
  const top = new TopK(k);
  for (let r = begin; r < end; r++) {
    const u = users[r];
    for (let p = exclude.indptr[u]; p < exclude.indptr[u + 1]; p++) stamp[exclude.indices[p]] = r + 1;
    let nTouched = 0;
    if (u < rows) {
      for (let p = userPtr[u]; p < userPtr[u + 1]; p++) {
        const i = userCols[p];
        for (let s = 0; s < n; s++) {
          const j = neighbourIds[i * n + s];
          if (j < 0) break;
          if (score[j] === 0) touched[nTouched++] = j;
          score[j] += neighbourSims[i * n + s];
        }
      }
    }
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      if (stamp[j] !== r + 1) top.push(j, score[j]);
      score[j] = 0;
    }
    top.drainInto(out, r * k);
  }
}
