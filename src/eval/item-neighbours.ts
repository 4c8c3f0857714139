/**
 * The item–item cosine neighbours of item-kNN, for a range of items: for item i, walk its users
 * (the transposed matrix) and each user's items, summing co-occurrence products into a dense
 * accumulator, then keep the top neighbours. Cost is Σ over i's users of their item counts, so
 * ranges for threads are cut by that cost, not by item count.
 */
import { shardRows } from '../util/shards.js';
import { TopK } from './topk.js';

/** The users × items matrix both ways, with each item's column norm. */
export interface CooccurrenceInput {
  userPtr: Int32Array;
  userCols: Int32Array;
  userValues: Float32Array;
  itemPtr: Int32Array;
  itemRows: Int32Array;
  itemValues: Float32Array;
  norm: Float64Array;
}

/**
 * Writes the `n` most similar items of each item in [begin, end) to `outIds`/`outSims` (items × n,
 * best first, ties to the lower item, −1 / 0 padded). Only positive similarities are kept.
 */
export function itemNeighbours(m: CooccurrenceInput, begin: number, end: number, n: number, outIds: Int32Array, outSims: Float32Array): void {
  const { userPtr, userCols, userValues, itemPtr, itemRows, itemValues, norm } = m;
  const nItems = norm.length;
  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const top = new TopK(n);
  const ids = new Int32Array(n);
  const sims = new Float64Array(n);
  for (let i = begin; i < end; i++) {
    let nTouched = 0;
    for (let p = itemPtr[i]; p < itemPtr[i + 1]; p++) {
      const u = itemRows[p];
      const a = itemValues[p];
      for (let q = userPtr[u], stop = userPtr[u + 1]; q < stop; q++) {
        const j = userCols[q];
        if (j === i) continue;
        if (acc[j] === 0) touched[nTouched++] = j;
        acc[j] += a * userValues[q];
      }
    }
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      const sim = acc[j] / (norm[i] * norm[j]);
      acc[j] = 0;
      if (sim > 0) top.push(j, sim);
    }
    sims.fill(0);
    top.drainInto(ids, 0, sims);
    outIds.set(ids, i * n);
    for (let s = 0; s < n; s++) outSims[i * n + s] = sims[s];
  }
}

/** Item ranges [bounds[s], bounds[s + 1]) of about equal neighbour-search cost, at most `parts`. */
export function neighbourShards(m: Pick<CooccurrenceInput, 'userPtr' | 'itemPtr' | 'itemRows'>, parts: number): Int32Array {
  // An item's search walks the item rows of each of its users.
  const nItems = m.itemPtr.length - 1;
  const cost = new Float64Array(nItems + 1);
  for (let i = 0; i < nItems; i++) {
    let c = 0;
    for (let p = m.itemPtr[i]; p < m.itemPtr[i + 1]; p++) c += m.userPtr[m.itemRows[p] + 1] - m.userPtr[m.itemRows[p]];
    cost[i + 1] = cost[i] + c;
  }
  return Int32Array.from([0, ...shardRows(cost, parts).map((s) => s.end), ...(nItems === 0 ? [0] : [])]);
}
