/**
 * Beyond-accuracy properties of top-K lists: how much of the catalog is shown, how varied and how
 * unfamiliar each list is, and how evenly exposure falls on artists. Each reads the first
 * min(K, width) slots of every row and ignores −1 slots.
 */
import { checkK, checkLists } from './lists.js';
import type { RowSets, SparseRows } from './sparse.js';

/** A per-list value and its mean over the lists where it is defined (NaN entries are skipped). */
export interface ListMetric {
  mean: number;
  /** One value per row; NaN where undefined (e.g. fewer than two items for diversity). */
  perList: Float64Array;
  /** Rows that had a defined value. */
  lists: number;
}

/** Distinct recommended items over the catalog size. */
export function catalogCoverage(recs: Int32Array, width: number, k: number, nItems: number): number {
  checkK(k, 'catalogCoverage');
  checkLists(recs, width, width === 0 ? 0 : recs.length / width, nItems, 'catalogCoverage: recs');
  if (nItems === 0) return NaN;
  const shown = new Uint8Array(nItems);
  let distinct = 0;
  const depth = Math.min(k, width);
  for (let s = 0; s < recs.length; s++) {
    const i = recs[s];
    if (s % width >= depth || i < 0 || shown[i] === 1) continue;
    shown[i] = 1;
    distinct++;
  }
  return distinct / nItems;
}

/**
 * Mean pairwise cosine distance (1 − cos) within each list over item vectors (items × dim,
 * row-major). A zero vector has cosine 0 with everything. Lists with fewer than two items: NaN.
 *
 * With unit vectors uᵢ (zero for a zero vector), Σ_{a<b} cos = (|Σ uᵢ|² − Σ |uᵢ|²) / 2, so each
 * list costs k·dim instead of k²·dim (evaluate and tune call this for every ranker and setting).
 */
export function intraListDiversity(recs: Int32Array, width: number, k: number, vectors: Float32Array, dim: number): ListMetric {
  checkK(k, 'intraListDiversity');
  if (!(Number.isInteger(dim) && dim >= 1) || vectors.length % dim !== 0) {
    throw new RangeError(`intraListDiversity: vectors length ${vectors.length} is not a multiple of dim ${dim}`);
  }
  const nItems = vectors.length / dim;
  const rows = width === 0 ? 0 : recs.length / width;
  checkLists(recs, width, rows, nItems, 'intraListDiversity: recs');
  const invNorm = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[i * dim + d] * vectors[i * dim + d];
    invNorm[i] = s > 0 ? 1 / Math.sqrt(s) : 0;
  }
  const perList = new Float64Array(rows);
  const sum = new Float64Array(dim);
  const depth = Math.min(k, width);
  for (let r = 0; r < rows; r++) {
    sum.fill(0);
    let n = 0;
    let unitItems = 0;
    for (let a = 0; a < depth; a++) {
      const i = recs[r * width + a];
      if (i < 0) continue;
      n++;
      const inv = invNorm[i];
      if (inv === 0) continue;
      unitItems++;
      for (let d = 0; d < dim; d++) sum[d] += vectors[i * dim + d] * inv;
    }
    const pairs = (n * (n - 1)) / 2;
    if (pairs === 0) {
      perList[r] = NaN;
      continue;
    }
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += sum[d] * sum[d];
    perList[r] = 1 - (sq - unitItems) / 2 / pairs;
  }
  return summarise(perList);
}

/**
 * Distinct artists over the number of items in each list. Items with unknown artist (−1) are left
 * out of both counts; a list with no known artist is NaN.
 */
export function artistDiversity(recs: Int32Array, width: number, k: number, itemArtist: Int32Array): ListMetric {
  checkK(k, 'artistDiversity');
  const rows = width === 0 ? 0 : recs.length / width;
  checkLists(recs, width, rows, itemArtist.length, 'artistDiversity: recs');
  let nArtists = 0;
  for (let i = 0; i < itemArtist.length; i++) nArtists = Math.max(nArtists, itemArtist[i] + 1);
  const stamp = new Int32Array(nArtists);
  const perList = new Float64Array(rows);
  const depth = Math.min(k, width);
  for (let r = 0; r < rows; r++) {
    let known = 0;
    let distinct = 0;
    for (let s = 0; s < depth; s++) {
      const i = recs[r * width + s];
      if (i < 0 || itemArtist[i] < 0) continue;
      known++;
      if (stamp[itemArtist[i]] !== r + 1) {
        stamp[itemArtist[i]] = r + 1;
        distinct++;
      }
    }
    perList[r] = known > 0 ? distinct / known : NaN;
  }
  return summarise(perList);
}

/**
 * Mean self-information −log2(pop_i / nUsers) of the recommended items, pop from training (users
 * holding the item). pop is clamped to ≥ 1 so an item unseen in training scores log2(nUsers).
 */
export function novelty(recs: Int32Array, width: number, k: number, itemPop: Float64Array, nUsers: number): ListMetric {
  checkK(k, 'novelty');
  if (!(nUsers >= 1)) throw new RangeError(`novelty: nUsers must be ≥ 1, got ${nUsers}`);
  const rows = width === 0 ? 0 : recs.length / width;
  checkLists(recs, width, rows, itemPop.length, 'novelty: recs');
  const perList = new Float64Array(rows);
  const depth = Math.min(k, width);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    let sum = 0;
    for (let s = 0; s < depth; s++) {
      const i = recs[r * width + s];
      if (i < 0) continue;
      sum += -Math.log2(Math.max(1, itemPop[i]) / nUsers);
      n++;
    }
    perList[r] = n > 0 ? sum / n : NaN;
  }
  return summarise(perList);
}

/**
 * Mean popularity of all recommended items over the mean popularity of the same users' training
 * items (pooled over entries). Above 1: lists lean more popular than what the users play.
 */
export function popularityLift(
  recs: Int32Array,
  width: number,
  k: number,
  users: Int32Array,
  train: RowSets,
  itemPop: Float64Array,
): number {
  checkK(k, 'popularityLift');
  checkLists(recs, width, users.length, itemPop.length, 'popularityLift: recs');
  let recSum = 0;
  let recN = 0;
  const depth = Math.min(k, width);
  for (let s = 0; s < recs.length; s++) {
    const i = recs[s];
    if (s % width >= depth || i < 0) continue;
    recSum += itemPop[i];
    recN++;
  }
  let ownSum = 0;
  let ownN = 0;
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (!(u >= 0 && u + 1 < train.indptr.length)) throw new RangeError(`popularityLift: users[${r}] = ${u} has no training row`);
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
      ownSum += itemPop[train.indices[p]];
      ownN++;
    }
  }
  if (recN === 0 || ownN === 0 || ownSum === 0) return NaN;
  return recSum / recN / (ownSum / ownN);
}

/** Gini coefficient of exposure counts over all nArtists artists (0 = even, → 1 = concentrated). */
export function artistExposureGini(recs: Int32Array, width: number, k: number, itemArtist: Int32Array, nArtists: number): number {
  checkK(k, 'artistExposureGini');
  checkLists(recs, width, width === 0 ? 0 : recs.length / width, itemArtist.length, 'artistExposureGini: recs');
  const exposure = new Float64Array(nArtists);
  const depth = Math.min(k, width);
  for (let s = 0; s < recs.length; s++) {
    const i = recs[s];
    if (s % width >= depth || i < 0) continue;
    const a = itemArtist[i];
    if (a >= nArtists) throw new RangeError(`artistExposureGini: item ${i} has artist ${a} ≥ nArtists ${nArtists}`);
    if (a >= 0) exposure[a]++;
  }
  return gini(exposure);
}

/** Gini coefficient of non-negative values: Σ (2i − n − 1)·x₍ᵢ₎ / (n·Σx), x sorted ascending, i from 1. */
export function gini(values: Float64Array): number {
  const n = values.length;
  const x = Float64Array.from(values).sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += x[i];
    weighted += (2 * (i + 1) - n - 1) * x[i];
  }
  return total > 0 ? weighted / (n * total) : 0;
}

/**
 * Share of each list's K slots holding an item that is relevant (in test) and not in the
 * popularity recommender's top-K for the same user (popular: same rows, its own width). Users with
 * no test items are excluded like in accuracy metrics; perList has NaN for them.
 */
export function serendipity(
  recs: Int32Array,
  width: number,
  k: number,
  users: Int32Array,
  test: SparseRows,
  popular: Int32Array,
  popularWidth: number,
): ListMetric {
  checkK(k, 'serendipity');
  checkLists(recs, width, users.length, test.cols, 'serendipity: recs');
  checkLists(popular, popularWidth, users.length, test.cols, 'serendipity: popular');
  const isTest = new Int32Array(test.cols);
  const isPopular = new Int32Array(test.cols);
  const perList = new Float64Array(users.length);
  const depth = Math.min(k, width);
  const popDepth = Math.min(k, popularWidth);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (!(u >= 0 && u < test.rows)) throw new RangeError(`serendipity: users[${r}] = ${u} out of range [0, ${test.rows})`);
    if (test.indptr[u + 1] === test.indptr[u]) {
      perList[r] = NaN;
      continue;
    }
    const stamp = r + 1;
    for (let p = test.indptr[u]; p < test.indptr[u + 1]; p++) isTest[test.indices[p]] = stamp;
    for (let s = 0; s < popDepth; s++) {
      const i = popular[r * popularWidth + s];
      if (i >= 0) isPopular[i] = stamp;
    }
    let good = 0;
    for (let s = 0; s < depth; s++) {
      const i = recs[r * width + s];
      if (i >= 0 && isTest[i] === stamp && isPopular[i] !== stamp) {
        good++;
        isPopular[i] = stamp; // count a repeated item once
      }
    }
    perList[r] = good / k;
  }
  return summarise(perList);
}

function summarise(perList: Float64Array): ListMetric {
  let sum = 0;
  let n = 0;
  for (let r = 0; r < perList.length; r++) {
    if (Number.isNaN(perList[r])) continue;
    sum += perList[r];
    n++;
  }
  return { mean: n > 0 ? sum / n : NaN, perList, lists: n };
}
