/** Exact top-C candidates with their CF scores for a block of users (native fused scoring). */
import { scoreTopK } from '../native/index.js';
import { gatherFactors, gatherRows } from '../retrieve/exact.js';
import type { RowSets } from './sparse.js';

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
