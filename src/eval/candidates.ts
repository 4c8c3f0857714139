/** Exact top-C candidates with their CF scores for a block of users (native fused scoring). */
import { scoreTopK, scoreTopKAsync } from '../native/index.js';
import { gatherFactors, gatherRows } from '../retrieve/exact.js';
import { sharedArray, toShared } from '../util/shared-memory.js';
import { defaultThreads } from '../util/worker-pool.js';
import type { RowSets } from './sparse.js';
import { TopK } from './topk.js';

export interface CandidateBlock {
  /** users.length × width, −1 padded. */
  items: Int32Array;
  scores: Float32Array;
  width: number;
}

export function factorCandidates(userFactors: Float32Array, itemFactors: Float32Array, factors: number, users: Int32Array, width: number, exclude: RowSets): CandidateBlock {
  const items = new Int32Array(users.length * width);
  const scores = new Float32Array(users.length * width);
  if (users.length > 0 && width > 0) {
    scoreTopK({
      U: gatherFactors(userFactors, users, factors),
      V: itemFactors,
      factors,
      userBegin: 0,
      userEnd: users.length,
      n: width,
      exclude: gatherRows(exclude, users),
      outItems: items,
      outScores: scores,
    });
  }
  return { items, scores, width };
}

/**
 * `factorCandidates` on the libuv thread pool: the users are cut into `threads` ranges scored at
 * once, over shared memory (the addon copies plain buffers at every async call). Each user's list
 * does not depend on the ranges, so the result is the same.
 */
export async function factorCandidatesAsync(
  userFactors: Float32Array,
  itemFactors: Float32Array,
  factors: number,
  users: Int32Array,
  width: number,
  exclude: RowSets,
  threads = defaultThreads(),
): Promise<CandidateBlock> {
  if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`factorCandidatesAsync: threads must be an integer ≥ 1, got ${threads}`);
  const n = users.length;
  const items = sharedArray(Int32Array, n * width);
  const scores = sharedArray(Float32Array, n * width);
  if (n === 0 || width === 0) return { items, scores, width };
  const U = gatherFactors(userFactors, users, factors, sharedArray(Float32Array, n * factors));
  const rows = gatherRows(exclude, users);
  const excluded = { indptr: toShared(rows.indptr), indices: toShared(rows.indices) };
  const V = toShared(itemFactors);
  const ranges: Promise<unknown>[] = [];
  for (let t = 0; t < threads; t++) {
    const begin = Math.floor((n * t) / threads);
    const end = Math.floor((n * (t + 1)) / threads);
    if (end === begin) continue;
    const out = { outItems: items.subarray(begin * width, end * width), outScores: scores.subarray(begin * width, end * width) };
    ranges.push(scoreTopKAsync({ U, V, factors, userBegin: begin, userEnd: end, n: width, exclude: excluded, ...out }));
  }
  await Promise.all(ranges);
  return { items, scores, width };
}

/**
 * Each row's k best candidates by score (ties to the earlier candidate), users × k, −1 padded:
 * the cut after candidates were rescored in place.
 */
export function bestOfRows(cand: CandidateBlock, k: number): Int32Array {
  const w = cand.width;
  const rows = w > 0 ? cand.items.length / w : 0;
  const out = new Int32Array(rows * k).fill(-1);
  if (k === 0) return out;
  // Positions go into the heap, so equal scores keep the earlier candidate first.
  const top = new TopK(k);
  const pos = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    const base = r * w;
    for (let q = 0; q < w && cand.items[base + q] >= 0; q++) top.push(q, cand.scores[base + q]);
    const n = top.drainInto(pos, 0);
    for (let j = 0; j < n; j++) out[r * k + j] = cand.items[base + pos[j]];
  }
  return out;
}
