/**
 * The common interface of everything that can be evaluated: the production model and the baselines.
 */
import type { RowSets } from './sparse.js';

export interface Ranker {
  readonly name: string;
  /**
   * Top-k items for each user, best first, as users.length × k row-major, −1 padded. Items in the
   * user's row of `exclude` (their training items: heard tracks are never recommended) are skipped.
   */
  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array;
  /** The same lists, scored on `threads` threads of the libuv pool, for rankers that can. */
  recommendAsync?(users: Int32Array, k: number, exclude: RowSets, threads?: number): Promise<Int32Array>;
}

/** A ranker's lists, on the thread pool when it offers that. */
export async function recommendLists(ranker: Ranker, users: Int32Array, k: number, exclude: RowSets, threads?: number): Promise<Int32Array> {
  return ranker.recommendAsync ? ranker.recommendAsync(users, k, exclude, threads) : ranker.recommend(users, k, exclude);
}

/** Throw unless the recommend arguments are usable. */
export function checkRecommendArgs(name: string, users: Int32Array, k: number, exclude: RowSets): void {
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`${name}.recommend: k must be a non-negative integer, got ${k}`);
  const rows = exclude.indptr.length - 1;
  for (let r = 0; r < users.length; r++) {
    if (!(users[r] >= 0 && users[r] < rows)) throw new RangeError(`${name}.recommend: users[${r}] = ${users[r]} has no row in exclude (${rows} rows)`);
  }
}
