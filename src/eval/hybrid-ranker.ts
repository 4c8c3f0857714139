/**
 * The hybrid model (CF + content) as an evaluation Ranker: exact top-C CF candidates, then the
 * HybridScorer blends the standardised CF score with the cosine between each candidate's content
 * vector and the user's history profile (weights from the run config).
 */
import type { ContentModel } from '../content/content-model.js';
import { HybridScorer, type HybridWeights } from '../content/hybrid.js';
import type { IdDictionary, Interactions } from '../types.js';
import { factorCandidates } from './candidates.js';
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

export class HybridRanker implements Ranker {
  private readonly scorer: HybridScorer;

  constructor(
    readonly name: string,
    private readonly userFactors: Float32Array,
    itemFactors: Float32Array,
    private readonly factors: number,
    content: { data: Float32Array; dim: number },
    /** Each user's history (training rows, or fold-in rows for unseen users) for the content profile. */
    private readonly history: Interactions,
    weights: HybridWeights,
    private readonly pool = 200,
  ) {
    this.scorer = new HybridScorer({ itemFactors, factors, unitContent: content.data, dim: content.dim, weights });
  }

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    checkRecommendArgs(this.name, users, k, exclude);
    if (k === 0 || users.length === 0) return new Int32Array(users.length * k);
    const width = Math.max(this.pool, k);
    const f = this.factors;
    const d = this.scorer.init.dim;
    const cand = factorCandidates(this.userFactors, this.scorer.init.itemFactors, f, users, width, exclude);
    const uv = new Float32Array(users.length * f);
    const profiles = new Float32Array(users.length * d);
    const h = this.history;
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      uv.set(this.userFactors.subarray(u * f, (u + 1) * f), r * f);
      const s = h.indptr[u];
      const e = h.indptr[u + 1];
      // Negative evidence (pref 0) must not pull the profile toward what the user rejected.
      const w = new Float32Array(e - s);
      for (let p = s; p < e; p++) w[p - s] = h.pref[p] > 0 ? h.weight[p] : 0;
      profiles.set(this.scorer.profile(h.indices.subarray(s, e), w), r * d);
    }
    return this.scorer.rerankBlock(uv, profiles, cand.items, width, k, cand.scores).items;
  }
}
