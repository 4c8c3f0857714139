/**
 * Item-based k-nearest-neighbours (cosine over the users × items matrix). The item–item similarity
 * is built sparsely: for item i, walk its users (transposed matrix) and each user's items, summing
 * co-occurrence products into a dense accumulator, then keep only the top neighbours. Cost is
 * Σ_u |items(u)|², not items².
 */
import { transposeCsr, type CsrMatrix } from '../data/csr.js';
import type { Interactions } from '../types.js';
import { checkInteractions } from './entries.js';
import { checkRecommendArgs, type Ranker } from './ranker.js';
import type { RowSets } from './sparse.js';
import { TopK } from './topk.js';

export interface ItemKnnOptions {
  /** Neighbours kept per item (default 100). */
  neighbours?: number;
  /** Matrix values for the cosine: 1 per positive entry, or the entry's weight (default 'binary'). */
  values?: 'binary' | 'weight';
  name?: string;
}

/**
 * Scores item j for user u as Σ_{i ∈ items(u)} sim(i, j), over i whose kept neighbours include j.
 * Only positive training entries (pref > 0) take part. Items scoring 0 are never recommended, so a
 * list can be shorter than k (−1 padded).
 */
export class ItemKnnRanker implements Ranker {
  readonly name: string;
  readonly neighbours: number;
  /** items × neighbours, best first, −1 padded. */
  readonly neighbourIds: Int32Array;
  readonly neighbourSims: Float32Array;
  private readonly userItems: CsrMatrix;

  constructor(train: Interactions, opts: ItemKnnOptions = {}) {
    checkInteractions(train, 'ItemKnnRanker: train');
    const n = opts.neighbours ?? 100;
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`ItemKnnRanker: neighbours must be a positive integer, got ${n}`);
    this.neighbours = n;
    this.name = opts.name ?? `item-knn-${n}`;
    const useWeight = (opts.values ?? 'binary') === 'weight';
    this.userItems = positiveMatrix(train, useWeight);
    const itemUsers = transposeCsr(this.userItems);
    const nItems = this.userItems.cols;
    const x = this.userItems.values[0];
    const xt = itemUsers.values[0];

    const norm = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) s += xt[p] * xt[p];
      norm[i] = Math.sqrt(s);
    }
    this.neighbourIds = new Int32Array(nItems * n);
    this.neighbourSims = new Float32Array(nItems * n);
    const acc = new Float64Array(nItems);
    const touched = new Int32Array(nItems);
    const top = new TopK(n);
    const sims = new Float64Array(nItems * n);
    for (let i = 0; i < nItems; i++) {
      let nTouched = 0;
      for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) {
        const u = itemUsers.indices[p];
        const a = xt[p];
        for (let q = this.userItems.indptr[u]; q < this.userItems.indptr[u + 1]; q++) {
          const j = this.userItems.indices[q];
          if (j === i) continue;
          if (acc[j] === 0) touched[nTouched++] = j;
          acc[j] += a * x[q];
        }
      }
      for (let t = 0; t < nTouched; t++) {
        const j = touched[t];
        const sim = acc[j] / (norm[i] * norm[j]);
        acc[j] = 0;
        if (sim > 0) top.push(j, sim);
      }
      top.drainInto(this.neighbourIds, i * n, sims);
    }
    for (let p = 0; p < sims.length; p++) this.neighbourSims[p] = sims[p];
  }

  /** Cosine similarity of items a and b if b is among a's kept neighbours, else 0. */
  similarity(a: number, b: number): number {
    for (let s = 0; s < this.neighbours; s++) if (this.neighbourIds[a * this.neighbours + s] === b) return this.neighbourSims[a * this.neighbours + s];
    return 0;
  }

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    checkRecommendArgs(this.name, users, k, exclude);
    const nItems = this.userItems.cols;
    const n = this.neighbours;
    const out = new Int32Array(users.length * k).fill(-1);
    const score = new Float64Array(nItems);
    const touched = new Int32Array(nItems);
    const stamp = new Int32Array(nItems);
    const top = new TopK(k);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      for (let p = exclude.indptr[u]; p < exclude.indptr[u + 1]; p++) stamp[exclude.indices[p]] = r + 1;
      let nTouched = 0;
      if (u < this.userItems.rows) {
        for (let p = this.userItems.indptr[u]; p < this.userItems.indptr[u + 1]; p++) {
          const i = this.userItems.indices[p];
          for (let s = 0; s < n; s++) {
            const j = this.neighbourIds[i * n + s];
            if (j < 0) break;
            if (score[j] === 0) touched[nTouched++] = j;
            score[j] += this.neighbourSims[i * n + s];
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
    return out;
  }
}

/** Positive entries of train as a one-channel CsrMatrix (value 1 or the weight). */
function positiveMatrix(train: Interactions, useWeight: boolean): CsrMatrix {
  const rows = train.users.size;
  let nnz = 0;
  for (let p = 0; p < train.indices.length; p++) if (train.pref[p] > 0 && (!useWeight || train.weight[p] > 0)) nnz++;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let w = 0;
  for (let u = 0; u < rows; u++) {
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
      if (!(train.pref[p] > 0) || (useWeight && !(train.weight[p] > 0))) continue;
      indices[w] = train.indices[p];
      values[w++] = useWeight ? train.weight[p] : 1;
    }
    indptr[u + 1] = w;
  }
  return { rows, cols: train.items.size, indptr, indices, values: [values] };
}
