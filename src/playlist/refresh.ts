/**
 * Fresh feedback without retraining: users with recent events get their factors re-solved (the
 * one-row ALS fold-in, exact Cholesky, item factors fixed) from their training history plus the
 * recent interactions, exactly as Model.foldIn does for one user.
 */
import { alsHalfStep } from '../native/index.js';
import { confidenceFromWeights } from '../train/confidence.js';
import type { ModelParams } from '../model/model-data.js';

export interface WeightedRows {
  indptr: Int32Array;
  indices: Int32Array;
  pref: Float32Array;
  weight: Float32Array;
}

export type FoldInParams = Pick<ModelParams, 'factors' | 'regularization' | 'alpha' | 'confidence' | 'epsilon' | 'cgSteps'>;

function rowLen(m: WeightedRows, u: number): number {
  return u + 1 < m.indptr.length ? m.indptr[u + 1] - m.indptr[u] : 0;
}

/**
 * Re-solve the query rows (queries[i] belongs to users[i]) of users with a non-empty `recent` row.
 * Entries of both sources for the same track are summed with sign (negative evidence subtracts).
 * Returns the number of refreshed users.
 */
export function refreshQueries(
  queries: Float32Array,
  users: Int32Array,
  seen: WeightedRows,
  recent: WeightedRows,
  itemFactors: Float32Array,
  itemGram: Float32Array,
  params: FoldInParams,
): number {
  const k = params.factors;
  let m = 0;
  let nnz = 0;
  for (let i = 0; i < users.length; i++) {
    const u = users[i];
    if (rowLen(recent, u) > 0) {
      m++;
      nnz += rowLen(recent, u) + rowLen(seen, u);
    }
  }
  if (m === 0) return 0;
  const indptr = new Int32Array(m + 1);
  const indices = new Int32Array(nnz);
  const pref = new Float32Array(nnz);
  const weight = new Float32Array(nnz);
  const X = new Float32Array(m * k);
  const rowOf = new Int32Array(m);
  let r = 0;
  let w = 0;
  for (let i = 0; i < users.length; i++) {
    const u = users[i];
    if (rowLen(recent, u) === 0) continue;
    rowOf[r] = i;
    // Merge the two sorted rows, summing signed weights of the same track.
    let a = seen.indptr[u];
    const aEnd = a + rowLen(seen, u);
    let b = recent.indptr[u];
    const bEnd = b + rowLen(recent, u);
    while (a < aEnd || b < bEnd) {
      let item: number;
      let signed = 0;
      const ia = a < aEnd ? seen.indices[a] : Infinity;
      const ib = b < bEnd ? recent.indices[b] : Infinity;
      item = Math.min(ia, ib);
      while (a < aEnd && seen.indices[a] === item) {
        signed += seen.pref[a] > 0 ? seen.weight[a] : -seen.weight[a];
        a++;
      }
      while (b < bEnd && recent.indices[b] === item) {
        signed += recent.pref[b] > 0 ? recent.weight[b] : -recent.weight[b];
        b++;
      }
      indices[w] = item;
      pref[w] = signed > 0 ? 1 : 0;
      weight[w] = Math.abs(signed);
      w++;
    }
    indptr[++r] = w;
  }
  const conf = confidenceFromWeights(weight.subarray(0, w), params.alpha, params.confidence, params.epsilon);
  alsHalfStep({
    indptr,
    indices: indices.subarray(0, w),
    pref: pref.subarray(0, w),
    conf,
    X,
    Y: itemFactors,
    YtY: itemGram,
    factors: k,
    regularization: params.regularization,
    rowBegin: 0,
    rowEnd: m,
    solver: 'cholesky',
    cgSteps: params.cgSteps,
  });
  for (let j = 0; j < m; j++) queries.set(X.subarray(j * k, (j + 1) * k), rowOf[j] * k);
  return m;
}
