/**
 * The weekly job's hybrid stage on an evaluation's candidate block: each user's CF candidates
 * rescored in place by HybridBlend (content/hybrid-blend.ts) with the profile of their history
 * rows, so the re-ranking settings that tune and evaluate measure see what the job's re-ranker sees.
 */
import { HybridBlend, type ResolvedBlendWeights } from '../content/hybrid-blend.js';
import type { Interactions } from '../types.js';
import type { CandidateBlock } from './candidates.js';

export interface CandidateBlend {
  /** Unit content vectors in model item order (zero rows: no content). */
  content: { data: Float32Array; dim: number };
  /** Each user's history (training rows, or fold-in rows of unseen users): the profile's entries. */
  history: Interactions;
  weights: ResolvedBlendWeights;
}

/** Rescore row r of `cand` (the candidates of users[r]) in place. */
export function blendCandidates(cand: CandidateBlock, users: Int32Array, b: CandidateBlend): void {
  const blend = new HybridBlend(b.content.data, b.content.dim, b.weights);
  const h = b.history;
  const w = cand.width;
  let positive = new Float32Array(64);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const s = h.indptr[u];
    const n = h.indptr[u + 1] - s;
    if (positive.length < n) positive = new Float32Array(Math.max(n, 2 * positive.length));
    // Negative evidence (pref 0) must not pull the profile toward what the user rejected.
    for (let p = 0; p < n; p++) positive[p] = h.pref[s + p] > 0 ? h.weight[s + p] : 0;
    if (blend.setProfile(h.indices.subarray(s, s + n), positive, n)) blend.apply(cand.items.subarray(r * w, (r + 1) * w), cand.scores.subarray(r * w, (r + 1) * w));
  }
}
