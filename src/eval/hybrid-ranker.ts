/**
 * The hybrid model (CF + content) as an evaluation Ranker: exact top-C CF candidates, then the
 * weekly job's hybrid stage (content/hybrid-blend.ts) blends the standardised CF score with the
 * cosine between each candidate's content vector and the user's history profile (weights from
 * the run config), and each user's best k are kept.
 */
import type { ContentModel } from '../content/content-model.js';
import type { HybridWeights } from '../content/hybrid.js';
import { blendActive, resolveBlendWeights, type ResolvedBlendWeights } from '../content/hybrid-blend.js';
import type { IdDictionary, Interactions } from '../types.js';
import { blendCandidates, type CandidateBlend } from './blend-candidates.js';
import { bestOfRows, factorCandidates, factorCandidatesAsync, type CandidateBlock } from './candidates.js';
import { checkRecommendArgs, type Ranker } from './ranker.js';
import type { RowSets } from './sparse.js';

/** Unit content vectors in model item order (zero rows for items the catalog lacks) and the coverage. */
export function alignContent(content: ContentModel, items: IdDictionary): { data: Float32Array; dim: number; matched: number } {
  const d = content.dim;
  const unit = content.unitVectors();
  const data = new Float32Array(items.size * d);
  let matched = 0;
  for (let i = 0; i < items.size; i++) {
    const row = content.row(items.ids[i]);
    if (row === undefined) continue;
    data.set(unit.subarray(row * d, (row + 1) * d), i * d);
    matched++;
  }
  return { data, dim: d, matched };
}

/** CF candidates per user that the hybrid rescores by default. */
export const HYBRID_POOL = 200;

/** A run config's hybrid weights as the evaluation reads them: unset ones as HybridScorer's defaults (cf 1, content 0.3). */
export function evaluationBlendWeights(w: HybridWeights, where = 'hybrid'): ResolvedBlendWeights {
  return resolveBlendWeights({ cf: w.cf ?? 1, content: w.content ?? 0.3 }, where);
}

export class HybridRanker implements Ranker {
  private readonly blend: CandidateBlend;

  constructor(
    readonly name: string,
    private readonly userFactors: Float32Array,
    private readonly itemFactors: Float32Array,
    private readonly factors: number,
    content: { data: Float32Array; dim: number },
    /** Each user's history (training rows, or fold-in rows for unseen users) for the content profile. */
    history: Interactions,
    /** Unset weights as HybridScorer's: cf 1, content 0.3. */
    weights: HybridWeights,
    private readonly pool = HYBRID_POOL,
  ) {
    this.blend = { content, history, weights: evaluationBlendWeights(weights, `${name}: hybrid`) };
  }

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    checkRecommendArgs(this.name, users, k, exclude);
    if (k === 0 || users.length === 0) return new Int32Array(users.length * k);
    return this.best(factorCandidates(this.userFactors, this.itemFactors, this.factors, users, Math.max(this.pool, k), exclude), users, k);
  }

  /** The candidates scored on the libuv thread pool; the blend and the cut stay on this thread. */
  async recommendAsync(users: Int32Array, k: number, exclude: RowSets, threads?: number): Promise<Int32Array> {
    checkRecommendArgs(this.name, users, k, exclude);
    if (k === 0 || users.length === 0) return new Int32Array(users.length * k);
    return this.best(await factorCandidatesAsync(this.userFactors, this.itemFactors, this.factors, users, Math.max(this.pool, k), exclude, threads), users, k);
  }

  private best(cand: CandidateBlock, users: Int32Array, k: number): Int32Array {
    if (blendActive(this.blend.weights)) blendCandidates(cand, users, this.blend);
    return bestOfRows(cand, k);
  }
}
