/**
 * The content → factor map: a ridge regression from content vectors to trained item factors, so a
 * track nobody has played yet still gets factors (and can be retrieved and scored like any other).
 *
 *   W = argmin_W Σ_i w_i |(c_i − μ_c) W − (f_i − μ_f)|² + λ |W|²,   f̂(c) = (c − μ_c) W + μ_f
 *
 * Centering gives an unpenalised intercept. The normal equations (Cᵀ diag(w) C + λI) W =
 * Cᵀ diag(w) F are formed with the native gram and solved by the native float64 Cholesky
 * (`solveSpd`). Row weights w_i = n_i / (n_i + m) trust warm tracks in proportion to their evidence.
 *
 * Blending: a warm track with few listens has noisy CF factors, so
 *   f = (1 − β) f_cf + β f̂,   β = m / (m + n_listens),
 * m (default 5) is the number of listeners at which CF and content count equally: a track with no
 * listens is pure content, one with 5 listeners half and half, one with 95 is 95% CF.
 *
 * Artist residual: content cannot see what an artist's listeners do, but an artist's warm tracks
 * can. A track's content prediction is corrected by the mean residual (f_cf − f̂) of its artist's
 * warm tracks, shrunk by n_a / (n_a + s) (s = artistShrink, default 2): a new single by a known
 * artist lands near that artist's catalogue in factor space.
 */
import { gram, solveSpd } from '../native/index.js';

export interface FactorMap {
  factors: number;
  dim: number;
  /** The ridge penalty used. */
  lambda: number;
  /** dim × factors, row-major. */
  W: Float32Array;
  contentMean: Float32Array;
  factorMean: Float32Array;
  /** m of the blend β = m / (m + listens). */
  blendM: number;
  /** s of the artist-residual shrinkage n_a / (n_a + s). */
  artistShrink: number;
  /** Rows the map was fitted on. */
  fittedRows: number;
}

export interface FactorMapOptions {
  /** Ridge λ; default 0.1 × the mean diagonal of the weighted, centred CᵀC (scale-free). */
  lambda?: number;
  /** m of the warm blend (default 5). */
  blendM?: number;
  /** Shrinkage of the artist residual (default 2). */
  artistShrink?: number;
}

/**
 * Fit the map on rows that have both content (rows × dim) and factors (rows × k); `weight` per
 * row (default 1). Rows with weight 0 are ignored.
 */
export function fitFactorMap(content: Float32Array, factors: Float32Array, dim: number, k: number, weight?: Float32Array, opts: FactorMapOptions = {}): FactorMap {
  if (!(Number.isInteger(dim) && dim >= 1) || content.length % dim !== 0) throw new RangeError(`fitFactorMap: content length ${content.length} is not a multiple of dim ${dim}`);
  const rows = content.length / dim;
  if (factors.length !== rows * k) throw new RangeError(`fitFactorMap: factors length ${factors.length} is not rows ${rows} × k ${k}`);
  if (weight && weight.length !== rows) throw new RangeError(`fitFactorMap: weight length ${weight.length} is not rows ${rows}`);
  const blendM = opts.blendM ?? 5;
  const artistShrink = opts.artistShrink ?? 2;
  if (!(blendM >= 0)) throw new RangeError(`fitFactorMap: blendM must be ≥ 0, got ${blendM}`);
  if (!(artistShrink >= 0)) throw new RangeError(`fitFactorMap: artistShrink must be ≥ 0, got ${artistShrink}`);
  let wSum = 0;
  let used = 0;
  for (let r = 0; r < rows; r++) {
    const w = weight ? weight[r] : 1;
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`fitFactorMap: weight[${r}] = ${w} must be finite and ≥ 0`);
    wSum += w;
    if (w > 0) used++;
  }
  if (!(wSum > 0)) throw new RangeError('fitFactorMap: no rows with positive weight to fit on');
  const mu = new Float64Array(dim);
  const nu = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    const w = weight ? weight[r] : 1;
    if (w === 0) continue;
    for (let j = 0; j < dim; j++) mu[j] += w * content[r * dim + j];
    for (let j = 0; j < k; j++) nu[j] += w * factors[r * k + j];
  }
  for (let j = 0; j < dim; j++) mu[j] /= wSum;
  for (let j = 0; j < k; j++) nu[j] /= wSum;
  // √w-scaled centred rows: their gram is Cᵀ diag(w) C.
  const centred = new Float32Array(used * dim);
  const ctf = new Float64Array(dim * k);
  let q = 0;
  const fr = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    const w = weight ? weight[r] : 1;
    if (w === 0) continue;
    const sw = Math.sqrt(w);
    for (let j = 0; j < k; j++) fr[j] = w * (factors[r * k + j] - nu[j]);
    for (let a = 0; a < dim; a++) {
      const c = content[r * dim + a] - mu[a];
      centred[q * dim + a] = sw * c;
      if (c === 0) continue;
      for (let j = 0; j < k; j++) ctf[a * k + j] += c * fr[j];
    }
    q++;
  }
  const ctc = gram(centred, dim);
  let trace = 0;
  for (let a = 0; a < dim; a++) trace += ctc[a * dim + a];
  const lambda = opts.lambda ?? Math.max(1e-6, (0.1 * trace) / dim);
  if (!(lambda > 0 && Number.isFinite(lambda))) throw new RangeError(`fitFactorMap: lambda must be finite and > 0, got ${lambda}`);
  const W = solveSpd(ctc, Float32Array.from(ctf), dim, k, lambda);
  return { factors: k, dim, lambda, W, contentMean: Float32Array.from(mu), factorMean: Float32Array.from(nu), blendM, artistShrink, fittedRows: used };
}

/** f̂ = (c − μ_c) W + μ_f for each row of content (rows × dim) → rows × k. */
export function predictFactors(map: FactorMap, content: Float32Array): Float32Array {
  const { dim, factors: k, W } = map;
  if (content.length % dim !== 0) throw new RangeError(`predictFactors: content length ${content.length} is not a multiple of dim ${dim}`);
  const rows = content.length / dim;
  const out = new Float32Array(rows * k);
  const acc = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) acc[j] = map.factorMean[j];
    for (let a = 0; a < dim; a++) {
      const c = content[r * dim + a] - map.contentMean[a];
      if (c === 0) continue;
      for (let j = 0; j < k; j++) acc[j] += c * W[a * k + j];
    }
    for (let j = 0; j < k; j++) out[r * k + j] = acc[j];
  }
  return out;
}

export interface BlendInput {
  map: FactorMap;
  /** tracks × dim content vectors. */
  content: Float32Array;
  /** tracks × k CF factors; rows of tracks without CF factors are ignored. */
  cf: Float32Array;
  /** Per track: 1 when `cf` holds trained factors for it. */
  hasCf: Uint8Array;
  /** Per track: listeners (or listens) behind its CF factors. */
  listens: Float32Array;
  /** Per track: artist index, −1 when unknown (enables the artist residual). */
  trackArtist?: Int32Array;
}

export interface BlendedFactors {
  /** tracks × k */
  factors: Float32Array;
  /** Per track: weight of the content prediction (1 for tracks without CF). */
  beta: Float32Array;
  /** Per track: 0 = CF only (β ≈ 0), 1 = blended, 2 = content only. */
  source: Uint8Array;
}

/** Factors for every catalog track: CF blended with the (artist-corrected) content prediction. */
export function blendFactors(b: BlendInput): BlendedFactors {
  const { map } = b;
  const k = map.factors;
  const n = b.hasCf.length;
  if (b.content.length !== n * map.dim) throw new RangeError(`blendFactors: content length ${b.content.length} is not tracks ${n} × dim ${map.dim}`);
  if (b.cf.length !== n * k) throw new RangeError(`blendFactors: cf length ${b.cf.length} is not tracks ${n} × k ${k}`);
  if (b.listens.length !== n) throw new RangeError(`blendFactors: listens length ${b.listens.length} is not tracks ${n}`);
  const pred = predictFactors(map, b.content);
  if (b.trackArtist) addArtistResidual(pred, b, k);
  const factors = new Float32Array(n * k);
  const beta = new Float32Array(n);
  const source = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const bt = b.hasCf[t] ? map.blendM / (map.blendM + Math.max(0, b.listens[t])) : 1;
    beta[t] = bt;
    source[t] = b.hasCf[t] ? (bt < 1e-3 ? 0 : 1) : 2;
    for (let j = 0; j < k; j++) factors[t * k + j] = b.hasCf[t] ? (1 - bt) * b.cf[t * k + j] + bt * pred[t * k + j] : pred[t * k + j];
  }
  return { factors, beta, source };
}

function addArtistResidual(pred: Float32Array, b: BlendInput, k: number): void {
  const ta = b.trackArtist!;
  const n = ta.length;
  let artists = 0;
  for (let t = 0; t < n; t++) artists = Math.max(artists, ta[t] + 1);
  const sum = new Float64Array(artists * k);
  const wsum = new Float64Array(artists);
  const count = new Int32Array(artists);
  for (let t = 0; t < n; t++) {
    const a = ta[t];
    if (a < 0 || !b.hasCf[t]) continue;
    // Residuals of tracks with little evidence are mostly noise: weight them like the fit does.
    const w = b.listens[t] / (b.listens[t] + b.map.blendM);
    if (!(w > 0)) continue;
    wsum[a] += w;
    count[a]++;
    for (let j = 0; j < k; j++) sum[a * k + j] += w * (b.cf[t * k + j] - pred[t * k + j]);
  }
  const s = b.map.artistShrink;
  for (let t = 0; t < n; t++) {
    const a = ta[t];
    if (a < 0 || count[a] === 0) continue;
    const shrink = count[a] / (count[a] + s) / wsum[a];
    for (let j = 0; j < k; j++) pred[t * k + j] += shrink * sum[a * k + j];
  }
}
