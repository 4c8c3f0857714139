// Exact (Cholesky) row solves with very large confidences: one entry's (c−1) y yᵀ can be ~10⁸
// times the system's smallest eigenvalue (≈ λ), beyond float32's resolution, so those entries
// must be built in float64. Compared against the float64 reference for k = 1..9 (below, at and
// above the factorisation's block of four).
import { describe, expect, it } from 'vitest';

import { alsHalfStep, gram } from '../../src/native/index.js';
import { halfStepCholeskyRef } from '../reference/als.js';
import { mulberry32, randomFloats } from '../reference/random.js';

/**
 * Row 0 has a heavy entry at column 0 (confidence c) plus three ordinary ones; column 0's factor
 * is long (norm ~ scale), like a user with thousands of plays whose factor grew with them, so
 * YᵀY is dominated by it too.
 */
function heavyRow(k: number, c: number, scale: number, seed: number) {
  const rng = mulberry32(seed);
  const cols = 12;
  const Y = randomFloats(rng, cols * k);
  const dir = randomFloats(rng, k, 0.2, 1);
  for (let a = 0; a < k; a++) Y[a] = scale * dir[a];
  return {
    indptr: Int32Array.from([0, 4]),
    indices: Int32Array.from([0, 3, 6, 9]),
    pref: Float32Array.from([1, 1, 1, 1]),
    conf: Float32Array.from([c, 2, 2, 2]),
    Y,
    YtY: gram(Y, k),
  };
}

function solve(p: ReturnType<typeof heavyRow>, k: number, reg: number) {
  const X = new Float32Array(k);
  alsHalfStep({ ...p, X, factors: k, regularization: reg, rowBegin: 0, rowEnd: 1, solver: 'cholesky', cgSteps: 3 });
  const ref = halfStepCholeskyRef({ csr: p, X: new Float32Array(k), Y: p.Y, YtY: p.YtY, k, reg, rowBegin: 0, rowEnd: 1 });
  return { X, ref };
}

describe('Cholesky rows with very large confidences', () => {
  for (let k = 1; k <= 9; k++) {
    it(`k=${k}: matches the float64 reference for confidences up to 1e7 and long factors`, () => {
      for (const c of [5001, 1e5, 1e7]) {
        for (const scale of [1, 30, 100]) {
          const p = heavyRow(k, c, scale, k * 1000 + scale);
          const { X, ref } = solve(p, k, 0.1);
          const norm = Math.max(...Array.from(ref, Math.abs), 1e-3);
          for (let a = 0; a < k; a++) expect(Math.abs(X[a] - ref[a]) / norm, `c=${c} scale=${scale} a=${a}`).toBeLessThan(2e-3);
        }
      }
    });
  }

  it('solves the system a heavy user produced in training (was "not positive definite")', () => {
    // Item 0's row on the item side after one user step: the heavy user's factor and three others.
    const k = 3;
    const Y = new Float32Array(12 * k);
    Y.set([69.3281174, 46.1218452, 9.75208473], 0);
    Y.set([0.362151504, 0.249275669, 0.0734545588], 3 * k);
    Y.set([0.428350598, 0.296091944, 0.0902532414], 6 * k);
    Y.set([0.494457573, 0.342843056, 0.107028544], 9 * k);
    const p = {
      indptr: Int32Array.from([0, 4]),
      indices: Int32Array.from([0, 3, 6, 9]),
      pref: Float32Array.from([1, 1, 1, 1]),
      conf: Float32Array.from([5001, 2, 2, 2]),
      Y,
      YtY: gram(Y, k),
    };
    const { X, ref } = solve(p, k, 0.1);
    for (let a = 0; a < k; a++) expect(Math.abs(X[a] - ref[a])).toBeLessThan(2e-3 * Math.max(...Array.from(ref, Math.abs)));
  });
});
