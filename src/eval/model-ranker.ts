/**
 * The trained factor model as an evaluation Ranker: native fused scoring + top-k with the
 * exclusion rows gathered for the evaluated users.
 */
import { scoreTopK } from '../native/index.js';
import { gatherFactors, gatherRows } from '../retrieve/exact.js';
import type { Ranker } from './ranker.js';
import type { RowSets } from './sparse.js';

export class FactorRanker implements Ranker {
  constructor(
    readonly name: string,
    private readonly userFactors: Float32Array,
    private readonly itemFactors: Float32Array,
    private readonly factors: number,
    private readonly itemBias?: Float32Array,
  ) {}

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    const items = new Int32Array(users.length * k);
    if (users.length === 0 || k === 0) return items;
    scoreTopK({
      U: gatherFactors(this.userFactors, users, this.factors),
      V: this.itemFactors,
      factors: this.factors,
      userBegin: 0,
      userEnd: users.length,
      n: k,
      exclude: gatherRows(exclude, users),
      itemBias: this.itemBias,
      outItems: items,
      outScores: new Float32Array(users.length * k),
    });
    return items;
  }
}
