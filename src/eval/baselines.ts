/**
 * Non-personalised and simple baselines every model must beat: global popularity, recent
 * popularity, seeded random, and (in item-knn.ts) item-based nearest neighbours.
 */
import { buildCsr } from '../data/csr.js';
import { userRandom } from './random.js';
import { checkRecommendArgs, type Ranker } from './ranker.js';
import type { RowSets, SparseRows } from './sparse.js';
import { itemUserCounts } from './sparse.js';

export { ItemKnnRanker } from './item-knn.js';
export type { ItemKnnOptions } from './item-knn.js';
export type { Ranker } from './ranker.js';

/** Recommends every user the same global order (score descending, ties by lower index), minus exclusions. */
export class GlobalOrderRanker implements Ranker {
  /** Items best first. */
  readonly order: Int32Array;

  constructor(
    readonly name: string,
    readonly scores: Float64Array,
  ) {
    const order = new Int32Array(scores.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    this.order = order.sort((a, b) => scores[b] - scores[a] || a - b);
  }

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    checkRecommendArgs(this.name, users, k, exclude);
    const out = new Int32Array(users.length * k).fill(-1);
    const stamp = new Int32Array(this.scores.length);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      for (let p = exclude.indptr[u]; p < exclude.indptr[u + 1]; p++) stamp[exclude.indices[p]] = r + 1;
      let filled = 0;
      for (let q = 0; q < this.order.length && filled < k; q++) {
        const i = this.order[q];
        if (stamp[i] !== r + 1) out[r * k + filled++] = i;
      }
    }
    return out;
  }
}

/** Most popular items in training: popularity = number of users holding the item. */
export function mostPopular(train: SparseRows, name = 'most-popular'): GlobalOrderRanker {
  return new GlobalOrderRanker(name, itemUserCounts(train));
}

export interface RecentPopularityOptions {
  /** End of the window (exclusive), epoch ms — usually the split's cut. */
  asOf: number;
  /** Window length in days (default 28). */
  windowDays?: number;
  name?: string;
}

/** Most popular items among events in [asOf − window, asOf): popularity = distinct users. */
export function recentPopular(
  user: Int32Array,
  item: Int32Array,
  time: Float64Array,
  nUsers: number,
  nItems: number,
  opts: RecentPopularityOptions,
): GlobalOrderRanker {
  if (user.length !== item.length || user.length !== time.length) {
    throw new RangeError(`recentPopular: user/item/time lengths differ (${user.length}, ${item.length}, ${time.length})`);
  }
  if (!Number.isFinite(opts.asOf)) throw new RangeError(`recentPopular: opts.asOf must be finite epoch ms, got ${opts.asOf}`);
  const windowDays = opts.windowDays ?? 28;
  if (!(windowDays > 0)) throw new RangeError(`recentPopular: opts.windowDays must be > 0, got ${windowDays}`);
  const from = opts.asOf - windowDays * 86_400_000;
  let n = 0;
  for (let e = 0; e < time.length; e++) if (time[e] >= from && time[e] < opts.asOf) n++;
  const wi = new Int32Array(n);
  const wu = new Int32Array(n);
  n = 0;
  for (let e = 0; e < time.length; e++) {
    if (time[e] >= from && time[e] < opts.asOf) {
      wi[n] = item[e];
      wu[n++] = user[e];
    }
  }
  // items × users with duplicates merged: row length = distinct listeners in the window.
  const m = buildCsr(nItems, nUsers, wi, wu, []);
  const scores = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) scores[i] = m.indptr[i + 1] - m.indptr[i];
  return new GlobalOrderRanker(opts.name ?? `recent-popular-${windowDays}d`, scores);
}

/** Uniformly random unheard items, seeded per user so a user's list does not depend on the batch. */
export class RandomRanker implements Ranker {
  readonly name: string;

  constructor(
    readonly nItems: number,
    readonly seed = 42,
    name = 'random',
  ) {
    this.name = name;
  }

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    checkRecommendArgs(this.name, users, k, exclude);
    const out = new Int32Array(users.length * k).fill(-1);
    const stamp = new Int32Array(this.nItems);
    const pool = new Int32Array(this.nItems);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      const rng = userRandom(this.seed, u);
      const mark = 2 * r + 1; // excluded
      const taken = 2 * r + 2; // already drawn
      let excluded = 0;
      for (let p = exclude.indptr[u]; p < exclude.indptr[u + 1]; p++) {
        const i = exclude.indices[p];
        if (i >= 0 && i < this.nItems && stamp[i] !== mark) {
          stamp[i] = mark;
          excluded++;
        }
      }
      const available = this.nItems - excluded;
      const want = Math.min(k, available);
      if (available >= 2 * want) {
        // Sparse draw: rejection sampling needs at most about two tries per slot here.
        let filled = 0;
        while (filled < want) {
          const i = rng.nextInt(this.nItems);
          if (stamp[i] === mark || stamp[i] === taken) continue;
          stamp[i] = taken;
          out[r * k + filled++] = i;
        }
      } else {
        let n = 0;
        for (let i = 0; i < this.nItems; i++) if (stamp[i] !== mark) pool[n++] = i;
        for (let j = 0; j < want; j++) {
          const s = j + rng.nextInt(n - j);
          const t = pool[j];
          pool[j] = pool[s];
          pool[s] = t;
          out[r * k + j] = pool[j];
        }
      }
    }
    return out;
  }
}
