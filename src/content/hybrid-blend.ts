/**
 * The weekly job's hybrid stage: retrieved candidates rescored in place with the blend of
 * hybrid.ts (w_cf · z(cf) + w_content · z(cos(profile, content))), between retrieval and the
 * re-ranker. The blend is written back on the CF score's own scale,
 *
 *   score' = mean(cf) + std(cf) · (w_cf · z(cf) + w_content · z(sim)) / (w_cf + w_content),
 *
 * an increasing affine map of the hybrid score, so the order is the hybrid's while the re-ranker's
 * relevance (scaled to the user's best, popularity-debiased, with the discovery floor) sees
 * scores of the size it was tuned on; with w_content = 0 every score is its CF score again.
 * Allocation-free per user: one instance per worker keeps its scratch.
 */
import type { HybridWeights } from './hybrid.js';
import { dotsWithVector } from '../native/index.js';

export interface ResolvedBlendWeights {
  cf: number;
  content: number;
}

/**
 * Checked weights: finite, ≥ 0, not both 0; unset, cf 1 and content 0 (here the blend is an opt-in
 * stage, unlike HybridScorer's default). Errors name `where` (flags, a config key, an option).
 */
export function resolveBlendWeights(w: HybridWeights | undefined, where = 'hybrid'): ResolvedBlendWeights {
  const cf = w?.cf ?? 1;
  const content = w?.content ?? 0;
  for (const [name, v] of [['cf', cf], ['content', content]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${where}: the ${name} weight must be a finite number ≥ 0, got ${String(v)}`);
  }
  if (cf + content <= 0) throw new RangeError(`${where}: the cf and content weights cannot both be 0`);
  return { cf, content };
}

/** True when the blend changes anything (a content weight above 0). */
export function blendActive(w: ResolvedBlendWeights | undefined): w is ResolvedBlendWeights {
  return w !== undefined && w.content > 0;
}

export class HybridBlend {
  /** The profile summed in double precision, then kept as a unit float32 row (as HybridScorer's). */
  private readonly acc: Float64Array;
  private readonly profile: Float32Array;
  private sim = new Float64Array(0);

  constructor(
    /** tracks × dim content vectors, unit rows (zero rows: no content known). */
    readonly unitContent: Float32Array,
    readonly dim: number,
    readonly weights: ResolvedBlendWeights,
  ) {
    if (!Number.isInteger(dim) || dim < 1 || unitContent.length % dim !== 0) {
      throw new RangeError(`hybrid blend: content length ${unitContent.length} is not a multiple of dim ${dim}`);
    }
    this.acc = new Float64Array(dim);
    this.profile = new Float32Array(dim);
  }

  get tracks(): number {
    return this.unitContent.length / this.dim;
  }

  /**
   * The user's profile (the weighted mean of the content of `items[0..n)`, unit length) into the
   * scratch. Entries of weight ≤ 0 are left out. False when the profile is empty (no positive
   * history with content): then there is nothing to blend.
   */
  setProfile(items: Int32Array, weights: Float32Array, n: number): boolean {
    const d = this.dim;
    const c = this.unitContent;
    const acc = this.acc;
    acc.fill(0);
    const tracks = this.tracks;
    for (let e = 0; e < n; e++) {
      const i = items[e];
      const w = weights[e];
      if (!(w > 0) || i < 0 || i >= tracks) continue;
      const base = i * d;
      for (let j = 0; j < d; j++) acc[j] += w * c[base + j];
    }
    let s = 0;
    for (let j = 0; j < d; j++) s += acc[j] * acc[j];
    if (!(s > 0)) return false;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) this.profile[j] = acc[j] * inv;
    return true;
  }

  /**
   * Rescore one user's candidates in place (`items` −1 padded after the last candidate; `scores`
   * their CF scores) with the profile last set. Candidates keep their places; the re-ranker
   * orders them by the new scores.
   */
  apply(items: Int32Array, scores: Float32Array): void {
    let m = 0;
    while (m < items.length && items[m] >= 0) m++;
    if (m === 0) return;
    if (this.sim.length < m) this.sim = new Float64Array(Math.max(m, 2 * this.sim.length));
    const sim = this.sim;
    dotsWithVector(this.unitContent, this.dim, items, m, this.profile, sim);
    let cfMean = 0;
    let simMean = 0;
    for (let q = 0; q < m; q++) {
      simMean += sim[q];
      cfMean += scores[q];
    }
    cfMean /= m;
    simMean /= m;
    let cfSs = 0;
    let simSs = 0;
    for (let q = 0; q < m; q++) {
      cfSs += (scores[q] - cfMean) ** 2;
      simSs += (sim[q] - simMean) ** 2;
    }
    const cfStd = Math.sqrt(cfSs / m);
    const simStd = Math.sqrt(simSs / m);
    // As hybrid.ts: a constant signal standardises to 0. A constant CF keeps unit scale, so the
    // content still orders the candidates.
    const cfInv = cfStd > 1e-12 ? 1 / cfStd : 0;
    const simInv = simStd > 1e-12 ? 1 / simStd : 0;
    const scale = (cfStd > 1e-12 ? cfStd : 1) / (this.weights.cf + this.weights.content);
    const wCf = this.weights.cf;
    const wContent = this.weights.content;
    for (let q = 0; q < m; q++) {
      const h = wCf * (scores[q] - cfMean) * cfInv + wContent * (sim[q] - simMean) * simInv;
      scores[q] = cfMean + scale * h;
    }
  }
}
