/**
 * Hybrid rescoring of retrieved candidates:
 *
 *   score(u, i) = w_cf · z_u(x_u · f_i) + w_content · z_u(cos(profile(u), c_i))
 *
 * z_u standardises each signal over user u's candidate set (mean 0, std 1; a constant signal
 * becomes 0), so the weights mean the same for every user whatever the scale of their factors.
 * profile(u) is the weighted mean of the unit content vectors of the user's history, with the
 * per-entry weights supplied by the caller (decayed and trust-weighted evidence from signals).
 *
 * Items are rows of the scorer's own track space (catalog order): warm tracks carry their
 * (blended) CF factors and cold tracks content-mapped factors, so cold tracks are scored by the
 * same formula.
 */
import { topKVectors } from '../retrieve/exact.js';
import type { CsrArrays } from '../native/index.js';

export interface HybridWeights {
  /** Weight of the CF score (default 1). */
  cf?: number;
  /** Weight of the content similarity (default 0.3). */
  content?: number;
}

export interface HybridScorerInit {
  /** tracks × factors */
  itemFactors: Float32Array;
  factors: number;
  /** tracks × dim, unit rows (ContentModel.unitVectors()). */
  unitContent: Float32Array;
  dim: number;
  weights?: HybridWeights;
}

export interface ScoredList {
  items: Int32Array;
  scores: Float32Array;
}

export class HybridScorer {
  readonly wCf: number;
  readonly wContent: number;
  readonly tracks: number;

  constructor(readonly init: HybridScorerInit) {
    const { itemFactors, factors, unitContent, dim } = init;
    if (!(factors >= 1) || itemFactors.length % factors !== 0) throw new RangeError(`HybridScorer: itemFactors length ${itemFactors.length} is not a multiple of factors ${factors}`);
    this.tracks = itemFactors.length / factors;
    if (unitContent.length !== this.tracks * dim) throw new RangeError(`HybridScorer: unitContent length ${unitContent.length} is not tracks ${this.tracks} × dim ${dim}`);
    this.wCf = init.weights?.cf ?? 1;
    this.wContent = init.weights?.content ?? 0.3;
    if (!(Number.isFinite(this.wCf) && Number.isFinite(this.wContent))) throw new RangeError('HybridScorer: weights must be finite');
  }

  /** A scorer with other weights over the same tracks. */
  withWeights(weights: HybridWeights): HybridScorer {
    return new HybridScorer({ ...this.init, weights: { cf: this.wCf, content: this.wContent, ...weights } });
  }

  /**
   * Weighted mean of the history's unit content vectors, scaled to unit length. Entries with
   * weight ≤ 0 (negative evidence) or an index < 0 are left out; an empty history gives zeros.
   */
  profile(items: ArrayLike<number>, weights: ArrayLike<number>): Float32Array {
    const d = this.init.dim;
    const c = this.init.unitContent;
    if (items.length !== weights.length) throw new RangeError(`profile: ${items.length} items but ${weights.length} weights`);
    const acc = new Float64Array(d);
    for (let e = 0; e < items.length; e++) {
      const i = items[e];
      const w = weights[e];
      if (i < 0 || !(w > 0)) continue;
      if (i >= this.tracks) throw new RangeError(`profile: item ${i} out of range [0, ${this.tracks})`);
      for (let j = 0; j < d; j++) acc[j] += w * c[i * d + j];
    }
    let s = 0;
    for (let j = 0; j < d; j++) s += acc[j] * acc[j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    const out = new Float32Array(d);
    for (let j = 0; j < d; j++) out[j] = acc[j] * inv;
    return out;
  }

  /** Profiles of many users: rows of a CSR history (indices = track rows, weights per entry). */
  profiles(history: { indptr: Int32Array; indices: Int32Array; weight: Float32Array }): Float32Array {
    const users = history.indptr.length - 1;
    const d = this.init.dim;
    const out = new Float32Array(users * d);
    for (let u = 0; u < users; u++) {
      const s = history.indptr[u];
      const e = history.indptr[u + 1];
      out.set(this.profile(history.indices.subarray(s, e), history.weight.subarray(s, e)), u * d);
    }
    return out;
  }

  /**
   * Hybrid scores of one user's candidates (−1 entries score −Infinity). `cfScores` may be passed
   * when retrieval already computed them; otherwise x_u · f_i is computed here.
   */
  score(userVector: Float32Array, profile: Float32Array, candidates: Int32Array, cfScores?: Float32Array): Float32Array {
    const k = this.init.factors;
    const d = this.init.dim;
    if (userVector.length !== k) throw new RangeError(`score: user vector length ${userVector.length} is not ${k}`);
    if (profile.length !== d) throw new RangeError(`score: profile length ${profile.length} is not ${d}`);
    const m = candidates.length;
    const cf = new Float64Array(m);
    const sim = new Float64Array(m);
    const f = this.init.itemFactors;
    const c = this.init.unitContent;
    let valid = 0;
    for (let q = 0; q < m; q++) {
      const i = candidates[q];
      if (i < 0) continue;
      if (i >= this.tracks) throw new RangeError(`score: candidate ${i} out of range [0, ${this.tracks})`);
      valid++;
      if (cfScores) cf[q] = cfScores[q];
      else {
        let s = 0;
        for (let j = 0; j < k; j++) s += userVector[j] * f[i * k + j];
        cf[q] = s;
      }
      let t = 0;
      for (let j = 0; j < d; j++) t += profile[j] * c[i * d + j];
      sim[q] = t;
    }
    zscoreInPlace(cf, candidates);
    zscoreInPlace(sim, candidates);
    const out = new Float32Array(m);
    for (let q = 0; q < m; q++) out[q] = candidates[q] < 0 ? -Infinity : this.wCf * cf[q] + this.wContent * sim[q];
    return valid > 0 ? out : out.fill(-Infinity);
  }

  /** The top n of one user's candidates by hybrid score (ties to the earlier candidate). */
  rerank(userVector: Float32Array, profile: Float32Array, candidates: Int32Array, n: number, cfScores?: Float32Array): ScoredList {
    const s = this.score(userVector, profile, candidates, cfScores);
    const order = Array.from({ length: candidates.length }, (_, q) => q).filter((q) => candidates[q] >= 0);
    order.sort((a, b) => s[b] - s[a] || a - b);
    const take = Math.min(n, order.length);
    const items = new Int32Array(n).fill(-1);
    const scores = new Float32Array(n).fill(-Infinity);
    for (let r = 0; r < take; r++) {
      items[r] = candidates[order[r]];
      scores[r] = s[order[r]];
    }
    return { items, scores };
  }

  /**
   * Rescore a block of users: `candidates` is users × width (−1 padded, e.g. from exact top-C),
   * `userVectors` users × k, `profiles` users × dim. Returns users × n.
   */
  rerankBlock(userVectors: Float32Array, profiles: Float32Array, candidates: Int32Array, width: number, n: number, cfScores?: Float32Array): ScoredList {
    const k = this.init.factors;
    const d = this.init.dim;
    const users = userVectors.length / k;
    if (candidates.length !== users * width) throw new RangeError(`rerankBlock: candidates length ${candidates.length} is not users ${users} × width ${width}`);
    if (profiles.length !== users * d) throw new RangeError(`rerankBlock: profiles length ${profiles.length} is not users ${users} × dim ${d}`);
    const items = new Int32Array(users * n);
    const scores = new Float32Array(users * n);
    for (let u = 0; u < users; u++) {
      const r = this.rerank(
        userVectors.subarray(u * k, (u + 1) * k),
        profiles.subarray(u * d, (u + 1) * d),
        candidates.subarray(u * width, (u + 1) * width),
        n,
        cfScores?.subarray(u * width, (u + 1) * width),
      );
      items.set(r.items, u * n);
      scores.set(r.scores, u * n);
    }
    return { items, scores };
  }

  /**
   * Exact top-`width` candidates by CF score over the scorer's tracks (cold ones included through
   * their content-mapped factors), excluding each user's listed tracks: the retrieval step.
   */
  async candidates(userVectors: Float32Array, width: number, exclude?: CsrArrays): Promise<ScoredList> {
    return topKVectors(userVectors, this.init.itemFactors, this.init.factors, width, exclude);
  }

  /** Candidates, then hybrid rerank to n: the whole path for a block of users. */
  async recommendBlock(userVectors: Float32Array, profiles: Float32Array, width: number, n: number, exclude?: CsrArrays): Promise<ScoredList> {
    const c = await this.candidates(userVectors, width, exclude);
    return this.rerankBlock(userVectors, profiles, c.items, width, n, c.scores);
  }
}

/** Standardise the entries whose candidate is ≥ 0 (population std); others are left alone. */
function zscoreInPlace(x: Float64Array, candidates: Int32Array): void {
  let n = 0;
  let mean = 0;
  for (let q = 0; q < x.length; q++) {
    if (candidates[q] < 0) continue;
    n++;
    mean += x[q];
  }
  if (n === 0) return;
  mean /= n;
  let ss = 0;
  for (let q = 0; q < x.length; q++) if (candidates[q] >= 0) ss += (x[q] - mean) ** 2;
  const std = Math.sqrt(ss / n);
  const inv = std > 1e-12 ? 1 / std : 0;
  for (let q = 0; q < x.length; q++) if (candidates[q] >= 0) x[q] = (x[q] - mean) * inv;
}
