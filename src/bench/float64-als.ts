/**
 * A plain float64 implicit-ALS trainer (exact row solves by dense Cholesky), the reference the
 * native solvers' loss is checked against on a small matrix. O(rows·(nnz_u·k² + k³)) in JS: only
 * for a few hundred rows.
 */

export interface Float64Problem {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  pref: Float32Array;
  conf: Float32Array;
}

/** Solves every row of X against the fixed Y (both row-major, k columns) in place. */
export function halfStepFloat64(m: Float64Problem, X: Float64Array, Y: Float64Array, k: number, reg: number): void {
  const G = new Float64Array(k * k);
  for (let i = 0; i < m.cols; i++)
    for (let a = 0; a < k; a++) {
      const ya = Y[i * k + a];
      for (let c = 0; c < k; c++) G[a * k + c] += ya * Y[i * k + c];
    }
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let u = 0; u < m.rows; u++) {
    A.set(G);
    for (let a = 0; a < k; a++) A[a * k + a] += reg;
    b.fill(0);
    for (let e = m.indptr[u]; e < m.indptr[u + 1]; e++) {
      const y = m.indices[e] * k;
      const w = m.conf[e] - 1;
      const cp = m.conf[e] * m.pref[e];
      for (let a = 0; a < k; a++) {
        b[a] += cp * Y[y + a];
        for (let c = 0; c < k; c++) A[a * k + c] += w * Y[y + a] * Y[y + c];
      }
    }
    solveInPlace(A, b, k);
    X.set(b, u * k);
  }
}

/** Cholesky solve of the SPD system A x = b (A is overwritten by its factor, b by x). */
function solveInPlace(A: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let p = 0; p < j; p++) s -= A[i * n + p] * A[j * n + p];
      if (i === j) {
        if (!(s > 0)) throw new Error(`float64 reference: system not positive definite at pivot ${i}`);
        A[i * n + i] = Math.sqrt(s);
      } else A[i * n + j] = s / A[j * n + j];
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= A[i * n + p] * b[p];
    b[i] = s / A[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < n; p++) s -= A[p * n + i] * b[p];
    b[i] = s / A[i * n + i];
  }
}
