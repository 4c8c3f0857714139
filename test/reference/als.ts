/**
 * Plain, obviously-correct float64 reference implementations of the native kernels: gram, the ALS
 * row solves (dense Cholesky of the normal equations, and CG exactly as the native core specifies
 * it), the implicit loss by brute force over every (user, item) pair, brute-force top-k, and a CSR
 * transpose for the item half-step.
 */
import type { RandomCsr } from './random.js';
import { onePassTranspose } from './order.js';

/** G = YᵀY (k×k) in float64. */
export function gramRef(Y: ArrayLike<number>, k: number): Float64Array {
  const n = Y.length / k;
  const G = new Float64Array(k * k);
  for (let r = 0; r < n; r++)
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) G[a * k + b] += Y[r * k + a] * Y[r * k + b];
  return G;
}

/** Solves the symmetric positive definite system A x = b (dense, n×n) by Cholesky. */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let p = 0; p < j; p++) s -= L[i * n + p] * L[j * n + p];
      if (i === j) {
        if (!(s > 0)) throw new Error(`matrix not positive definite at pivot ${i}`);
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= L[i * n + p] * y[p];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let p = i + 1; p < n; p++) s -= L[p * n + i] * x[p];
    x[i] = s / L[i * n + i];
  }
  return x;
}

export interface HalfStepRef {
  csr: Pick<RandomCsr, 'indptr' | 'indices' | 'pref' | 'conf'>;
  X: Float32Array;
  Y: Float32Array;
  YtY: ArrayLike<number>;
  k: number;
  reg: number;
  rowBegin: number;
  rowEnd: number;
}

/** The system matrix A = YᵀY + λI + Σ (c−1) y yᵀ and b = Σ c p y of row u. */
export function normalEquations(s: HalfStepRef, u: number): { A: Float64Array; b: Float64Array } {
  const { csr, Y, YtY, k, reg } = s;
  const A = Float64Array.from(YtY);
  for (let a = 0; a < k; a++) A[a * k + a] += reg;
  const b = new Float64Array(k);
  for (let e = csr.indptr[u]; e < csr.indptr[u + 1]; e++) {
    const y = csr.indices[e] * k;
    const c = csr.conf[e];
    for (let a = 0; a < k; a++) {
      b[a] += c * csr.pref[e] * Y[y + a];
      for (let d = 0; d < k; d++) A[a * k + d] += (c - 1) * Y[y + a] * Y[y + d];
    }
  }
  return { A, b };
}

/** Exact half-step: a copy of X with rows [rowBegin, rowEnd) solved by dense Cholesky. */
export function halfStepCholeskyRef(s: HalfStepRef): Float64Array {
  const X = Float64Array.from(s.X);
  for (let u = s.rowBegin; u < s.rowEnd; u++) {
    if (s.csr.indptr[u + 1] === s.csr.indptr[u]) {
      X.fill(0, u * s.k, (u + 1) * s.k);
      continue;
    }
    const { A, b } = normalEquations(s, u);
    X.set(choleskySolve(A, b, s.k), u * s.k);
  }
  return X;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const matVec = (A: Float64Array, v: Float64Array, k: number): Float64Array => {
  const out = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let d = 0; d < k; d++) out[a] += A[a * k + d] * v[d];
  return out;
};

/** CG half-step exactly as specified: warm start, r = b − Ax, p = r, `steps` updates, stop if r·r < 1e-20. */
export function halfStepCgRef(s: HalfStepRef, steps: number): Float64Array {
  const { k } = s;
  const X = Float64Array.from(s.X);
  for (let u = s.rowBegin; u < s.rowEnd; u++) {
    if (s.csr.indptr[u + 1] === s.csr.indptr[u]) {
      X.fill(0, u * k, (u + 1) * k);
      continue;
    }
    const { A, b } = normalEquations(s, u);
    const x = X.slice(u * k, (u + 1) * k);
    const Ax = matVec(A, x, k);
    const r = b.map((v, a) => v - Ax[a]);
    const p = Float64Array.from(r);
    let rsold = dot(r, r);
    if (rsold >= 1e-20) {
      for (let it = 0; it < steps; it++) {
        const Ap = matVec(A, p, k);
        const alpha = rsold / dot(p, Ap);
        for (let a = 0; a < k; a++) {
          x[a] += alpha * p[a];
          r[a] -= alpha * Ap[a];
        }
        const rsnew = dot(r, r);
        if (rsnew < 1e-20) break;
        for (let a = 0; a < k; a++) p[a] = r[a] + (rsnew / rsold) * p[a];
        rsold = rsnew;
      }
    }
    X.set(x, u * k);
  }
  return X;
}

/** The implicit loss by brute force over every pair, unobserved entries having c = 1, p = 0. */
export function lossRef(
  csr: Pick<RandomCsr, 'indptr' | 'indices' | 'pref' | 'conf'>,
  X: Float32Array,
  Y: Float32Array,
  k: number,
  reg: number,
): { raw: number; normalized: number } {
  const m = csr.indptr.length - 1;
  const n = Y.length / k;
  let raw = 0;
  let confSum = 0;
  for (let u = 0; u < m; u++) {
    const c = new Float64Array(n).fill(1);
    const p = new Float64Array(n);
    for (let e = csr.indptr[u]; e < csr.indptr[u + 1]; e++) {
      c[csr.indices[e]] = csr.conf[e];
      p[csr.indices[e]] = csr.pref[e];
      confSum += csr.conf[e];
    }
    for (let i = 0; i < n; i++) {
      const d = dot(X.subarray(u * k, (u + 1) * k), Y.subarray(i * k, (i + 1) * k));
      raw += c[i] * (p[i] - d) ** 2;
    }
  }
  raw += reg * (dot(X, X) + dot(Y, Y));
  const nnz = csr.indptr[m];
  const denom = confSum + m * n - nnz;
  return { raw, normalized: denom > 0 ? raw / denom : 0 };
}

export interface TopKRef {
  items: Int32Array;
  scores: Float64Array;
}

/**
 * Brute-force top-n of users [userBegin, userEnd): every score in float64, excluded items removed,
 * sorted by score descending then item ascending, padded with (−1, −Infinity).
 */
export function topKRef(
  U: Float32Array,
  V: Float32Array,
  k: number,
  userBegin: number,
  userEnd: number,
  n: number,
  exclude?: { indptr: Int32Array; indices: Int32Array },
  bias?: Float32Array,
): TopKRef {
  const items = V.length / k;
  const outItems = new Int32Array((userEnd - userBegin) * n).fill(-1);
  const outScores = new Float64Array((userEnd - userBegin) * n).fill(-Infinity);
  for (let u = userBegin; u < userEnd; u++) {
    const banned = new Set<number>();
    if (exclude) for (let e = exclude.indptr[u]; e < exclude.indptr[u + 1]; e++) banned.add(exclude.indices[e]);
    const cand: { i: number; s: number }[] = [];
    for (let i = 0; i < items; i++) {
      if (banned.has(i)) continue;
      let s = 0;
      for (let f = 0; f < k; f++) s += U[u * k + f] * V[i * k + f];
      if (bias) s += bias[i];
      cand.push({ i, s });
    }
    cand.sort((a, b) => b.s - a.s || a.i - b.i);
    for (let r = 0; r < Math.min(n, cand.length); r++) {
      outItems[(u - userBegin) * n + r] = cand[r].i;
      outScores[(u - userBegin) * n + r] = cand[r].s;
    }
  }
  return { items: outItems, scores: outScores };
}

/** The transpose of a CSR (cols×rows), entries carried along, indices sorted within each row. */
export function transposeCsr(csr: RandomCsr): RandomCsr {
  const t = onePassTranspose({ rows: csr.rows, cols: csr.cols, indptr: csr.indptr, indices: csr.indices, values: [csr.pref, csr.conf] });
  return { rows: t.rows, cols: t.cols, indptr: t.indptr, indices: t.indices, pref: t.values[0], conf: t.values[1] };
}
