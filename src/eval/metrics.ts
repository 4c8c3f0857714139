/**
 * Top-K accuracy metrics against a binary test set. Conventions (stated once, used everywhere):
 * - Users with no test items are excluded from every average; `excluded` says how many.
 * - Precision@K divides hits by K, so empty (−1) slots and short lists count as misses.
 * - recall = hits / |test| (the standard definition); recallCapped = hits / min(|test|, K), which
 *   can reach 1 for users with more than K test items.
 * - AP@K = Σ_{i≤K} precision@i · rel_i / min(|test|, K); MAP is its mean.
 * - NDCG@K uses binary gains and 1/log2(i + 1) discounts (rank i from 1); the ideal list has
 *   min(|test|, K) hits at the top.
 * - A repeated item in a list counts at its first position only.
 */
import { checkK, checkLists } from './lists.js';
import { checkSparseRows, type SparseRows } from './sparse.js';

export const ACCURACY_METRICS = ['precision', 'recall', 'recallCapped', 'map', 'ndcg', 'hitRate', 'mrr'] as const;
export type AccuracyMetric = (typeof ACCURACY_METRICS)[number];

export interface AccuracyResult {
  k: number;
  /** Users with at least one test item, averaged over. */
  evaluated: number;
  /** Users with no test items, left out of the averages. */
  excluded: number;
  /** Row positions (into the users argument) of the evaluated users; per-user arrays align with it. */
  evaluatedRows: Int32Array;
  mean: Record<AccuracyMetric, number>;
  perUser: Record<AccuracyMetric, Float64Array>;
}

/**
 * Accuracy at K of lists for `users` (row r of `recs` is users[r]) against `test` (rows = users).
 */
export function accuracyAtK(recs: Int32Array, width: number, users: Int32Array, test: SparseRows, k: number): AccuracyResult {
  checkK(k, 'accuracyAtK');
  checkSparseRows(test, 'accuracyAtK: test');
  checkLists(recs, width, users.length, test.cols, 'accuracyAtK: recs');
  const rows = new Int32Array(users.length);
  let nEval = 0;
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (!(u >= 0 && u < test.rows)) throw new RangeError(`accuracyAtK: users[${r}] = ${u} out of range [0, ${test.rows})`);
    if (test.indptr[u + 1] > test.indptr[u]) rows[nEval++] = r;
  }
  const evaluatedRows = rows.slice(0, nEval);
  const perUser = {} as Record<AccuracyMetric, Float64Array>;
  for (const m of ACCURACY_METRICS) perUser[m] = new Float64Array(nEval);

  const discount = new Float64Array(k);
  for (let i = 0; i < k; i++) discount[i] = 1 / Math.log2(i + 2);
  // Stamps instead of clearing: isTest[i] === stamp marks user's test items, seen[i] === stamp a repeat.
  const isTest = new Int32Array(test.cols);
  const seen = new Int32Array(test.cols);
  const depth = Math.min(k, width);
  for (let q = 0; q < nEval; q++) {
    const r = evaluatedRows[q];
    const u = users[r];
    const stamp = q + 1;
    const nTest = test.indptr[u + 1] - test.indptr[u];
    for (let p = test.indptr[u]; p < test.indptr[u + 1]; p++) isTest[test.indices[p]] = stamp;
    let hits = 0;
    let apSum = 0;
    let dcg = 0;
    let firstHit = 0;
    for (let s = 0; s < depth; s++) {
      const i = recs[r * width + s];
      if (i < 0 || seen[i] === stamp) continue;
      seen[i] = stamp;
      if (isTest[i] !== stamp) continue;
      hits++;
      apSum += hits / (s + 1);
      dcg += discount[s];
      if (firstHit === 0) firstHit = s + 1;
    }
    const ideal = Math.min(nTest, k);
    let idcg = 0;
    for (let s = 0; s < ideal; s++) idcg += discount[s];
    perUser.precision[q] = hits / k;
    perUser.recall[q] = hits / nTest;
    perUser.recallCapped[q] = hits / ideal;
    perUser.map[q] = apSum / ideal;
    perUser.ndcg[q] = dcg / idcg;
    perUser.hitRate[q] = hits > 0 ? 1 : 0;
    perUser.mrr[q] = firstHit > 0 ? 1 / firstHit : 0;
  }
  const mean = {} as Record<AccuracyMetric, number>;
  for (const m of ACCURACY_METRICS) mean[m] = meanOf(perUser[m]);
  return { k, evaluated: nEval, excluded: users.length - nEval, evaluatedRows, mean, perUser };
}

/** Arithmetic mean; NaN for an empty array. */
export function meanOf(a: Float64Array): number {
  if (a.length === 0) return NaN;
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j];
  return s / a.length;
}

export {
  artistDiversity,
  artistExposureGini,
  catalogCoverage,
  gini,
  intraListDiversity,
  novelty,
  popularityLift,
  serendipity,
} from './beyond-accuracy.js';
export type { ListMetric } from './beyond-accuracy.js';
