/**
 * Seeded randomized truncated SVD of a sparse matrix (Halko, Martinsson & Tropp 2011, alg. 4.4
 * with power iterations). Why this reduction for tags/genres:
 * - it keeps the co-occurrence structure: tokens that appear on the same tracks ("shoegaze",
 *   "dream pop") load on the same components, so tracks sharing no literal tag still get similar
 *   vectors — which hashing or truncating the vocabulary cannot do;
 * - it is deterministic: the Gaussian test matrix comes from a seed and every step is plain
 *   double-precision arithmetic, so the same catalog gives the same vectors;
 * - it is cheap: O(nnz · l · (2q + 2)) for l = rank + oversampling, plus an l × l eigenproblem;
 *   no dense tracks × vocabulary matrix is ever formed.
 */
import { SeededNormal } from './random.js';
import { symmetricEigen } from './sym-eigen.js';
import type { SparseRowsF32 } from './tfidf.js';

export interface RsvdOptions {
  /** Extra random directions beyond the rank (default 10). */
  oversample?: number;
  /** Power iterations, sharpening the spectrum for slowly decaying singular values (default 3). */
  powerIterations?: number;
  seed?: number;
}

export interface TruncatedSvd {
  rank: number;
  /** Singular values, descending, length rank (0 past the matrix's numerical rank). */
  singular: Float64Array;
  /** cols × rank, row-major: right singular vectors. A row x projects to x · components = (UΣ) row. */
  components: Float64Array;
}

/** Top-`rank` right singular vectors and values of the rows × cols sparse matrix. */
export function randomizedSvd(x: SparseRowsF32, cols: number, rank: number, opts: RsvdOptions = {}): TruncatedSvd {
  if (!(Number.isInteger(rank) && rank >= 1)) throw new RangeError(`randomizedSvd: rank must be an integer ≥ 1, got ${rank}`);
  const rows = x.indptr.length - 1;
  const l = Math.max(1, Math.min(rank + (opts.oversample ?? 10), cols, rows));
  const q = opts.powerIterations ?? 3;
  const rng = new SeededNormal(opts.seed ?? 42);
  const omega = new Float64Array(cols * l);
  for (let p = 0; p < omega.length; p++) omega[p] = rng.next();
  let y = multiply(x, omega, l, rows); // rows × l
  orthonormalize(y, rows, l);
  let z = multiplyT(x, y, l, cols); // cols × l
  for (let it = 0; it < q; it++) {
    orthonormalize(z, cols, l);
    y = multiply(x, z, l, rows);
    orthonormalize(y, rows, l);
    z = multiplyT(x, y, l, cols);
  }
  // z = Xᵀ Q = Bᵀ. B Bᵀ = zᵀ z (l × l); its eigenvectors are the left singular vectors of B.
  const bbt = new Float64Array(l * l);
  for (let r = 0; r < cols; r++) {
    for (let i = 0; i < l; i++) {
      const zi = z[r * l + i];
      if (zi === 0) continue;
      for (let j = i; j < l; j++) bbt[i * l + j] += zi * z[r * l + j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i];
  const eig = symmetricEigen(bbt, l);
  const singular = new Float64Array(rank);
  const components = new Float64Array(cols * rank);
  const top = eig.values[0] > 0 ? Math.sqrt(eig.values[0]) : 0;
  for (let j = 0; j < Math.min(rank, l); j++) {
    const s = eig.values[j] > 0 ? Math.sqrt(eig.values[j]) : 0;
    if (!(s > 1e-9 * top) || s === 0) continue;
    singular[j] = s;
    // v_j = Bᵀ u_j / σ_j = z u_j / σ_j.
    let maxAbs = 0;
    let sign = 1;
    for (let r = 0; r < cols; r++) {
      let acc = 0;
      for (let i = 0; i < l; i++) acc += z[r * l + i] * eig.vectors[i * l + j];
      const v = acc / s;
      components[r * rank + j] = v;
      if (Math.abs(v) > maxAbs + 1e-12) {
        maxAbs = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    // Fix the sign so the largest loading is positive: the decomposition's only ambiguity.
    if (sign < 0) for (let r = 0; r < cols; r++) components[r * rank + j] = -components[r * rank + j];
  }
  return { rank, singular, components };
}

/** Dense rows × rank projection X · components, as float32. */
export function project(x: SparseRowsF32, svd: TruncatedSvd): Float32Array {
  const rows = x.indptr.length - 1;
  const k = svd.rank;
  const cols = svd.components.length / k;
  const out = new Float32Array(rows * k);
  const acc = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) {
      const c = x.indices[p];
      if (c >= cols) continue;
      const v = x.values[p];
      for (let j = 0; j < k; j++) acc[j] += v * svd.components[c * k + j];
    }
    for (let j = 0; j < k; j++) out[r * k + j] = acc[j];
  }
  return out;
}

/** X (rows × cols sparse) · D (cols × l dense) → rows × l. */
function multiply(x: SparseRowsF32, d: Float64Array, l: number, rows: number): Float64Array {
  const out = new Float64Array(rows * l);
  for (let r = 0; r < rows; r++) {
    for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) {
      const v = x.values[p];
      const c = x.indices[p];
      for (let j = 0; j < l; j++) out[r * l + j] += v * d[c * l + j];
    }
  }
  return out;
}

/** Xᵀ (cols × rows) · D (rows × l dense) → cols × l. */
function multiplyT(x: SparseRowsF32, d: Float64Array, l: number, cols: number): Float64Array {
  const out = new Float64Array(cols * l);
  const rows = x.indptr.length - 1;
  for (let r = 0; r < rows; r++) {
    for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) {
      const v = x.values[p];
      const c = x.indices[p];
      for (let j = 0; j < l; j++) out[c * l + j] += v * d[r * l + j];
    }
  }
  return out;
}

/** Orthonormalise the l columns of a rows × l matrix in place (Gram–Schmidt, twice for stability). */
function orthonormalize(a: Float64Array, rows: number, l: number): void {
  for (let j = 0; j < l; j++) {
    let norm0 = 0;
    for (let r = 0; r < rows; r++) norm0 += a[r * l + j] * a[r * l + j];
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += a[r * l + i] * a[r * l + j];
        if (dot !== 0) for (let r = 0; r < rows; r++) a[r * l + j] -= dot * a[r * l + i];
      }
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += a[r * l + j] * a[r * l + j];
    norm = Math.sqrt(norm);
    // A dependent column (rank below l) becomes zero rather than amplified noise.
    const inv = norm > 1e-9 * Math.sqrt(norm0) && norm > 0 ? 1 / norm : 0;
    for (let r = 0; r < rows; r++) a[r * l + j] *= inv;
  }
}
