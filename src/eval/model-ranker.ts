/** The trained factor model as an evaluation Ranker: exact native top-k with the users' exclusions. */
import { factorCandidates, factorCandidatesAsync } from './candidates.js';
import { checkRecommendArgs, type Ranker } from './ranker.js';
import type { RowSets } from './sparse.js';

export class FactorRanker implements Ranker {
  constructor(
    readonly name: string,
    private readonly userFactors: Float32Array,
    private readonly itemFactors: Float32Array,
    private readonly factors: number,
  ) {}

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    return factorCandidates(this.userFactors, this.itemFactors, this.factors, users, k, exclude).items;
  }

  async recommendAsync(users: Int32Array, k: number, exclude: RowSets, threads?: number): Promise<Int32Array> {
    checkRecommendArgs(this.name, users, k, exclude);
    return (await factorCandidatesAsync(this.userFactors, this.itemFactors, this.factors, users, k, exclude, threads)).items;
  }
}
