// The performance changes to the ALS kernels (CG rows solved four at a time, long rows streamed
// through bounded scratch in pieces, the blocked Cholesky) must keep every row's result
// independent of how rows are grouped into calls, and correct on rows long enough to stream.
import { describe, expect, it } from 'vitest';
import { alsHalfStep, gram, type AlsHalfStepArgs } from '../../src/native/index.js';
import { halfStepCholeskyRef } from '../reference/als.js';
import { worstRowError } from '../reference/compare.js';
import { mulberry32, randomCsr, randomFloats, type RandomCsr } from '../reference/random.js';
import { bytesOf } from '../reference/shared.js';

/** The CSR with the given rows cut to their first `n` entries. */
function truncateRows(m: RandomCsr, cut: Map<number, number>): RandomCsr {
  const keep: number[] = [];
  const indptr = new Int32Array(m.rows + 1);
  for (let r = 0; r < m.rows; r++) {
    const end = Math.min(m.indptr[r + 1], m.indptr[r] + (cut.get(r) ?? Infinity));
    for (let e = m.indptr[r]; e < end; e++) keep.push(e);
    indptr[r + 1] = keep.length;
  }
  const pick = <T extends Int32Array | Float32Array>(a: T): T => a.constructor === Int32Array ? (Int32Array.from(keep, (e) => a[e]) as T) : (Float32Array.from(keep, (e) => a[e]) as T);
  return { ...m, indptr, indices: pick(m.indices), pref: pick(m.pref), conf: pick(m.conf) };
}

describe('ALS kernels after the performance work', () => {
  // k = 256: both solvers keep up to 4096 entries of a row gathered; the dense rows below (about
  // 4,500 entries) go through in pieces, the sparse ones stay resident.
  const k = 256;
  const rows = 9;
  const cols = 5000;
  const rng = mulberry32(77);
  // Rows 1, 2 and 6 keep only 40 entries, so lockstep groups mix resident and streamed rows.
  const csr = truncateRows(randomCsr(rng, rows, cols, 0.9, { emptyRows: [4] }), new Map([[1, 40], [2, 40], [6, 40]]));
  const X = randomFloats(rng, rows * k, -0.05, 0.05);
  const Y = randomFloats(rng, cols * k, -0.05, 0.05);
  const YtY = gram(Y, k);
  const base = (solver: 'cg' | 'cholesky', Xc: Float32Array): AlsHalfStepArgs => ({
    indptr: csr.indptr, indices: csr.indices, pref: csr.pref, conf: csr.conf, X: Xc, Y, YtY,
    factors: k, regularization: 0.1, rowBegin: 0, rowEnd: rows, solver, cgSteps: 3,
  });

  it('CG: the same bits for any grouping of rows into calls, streamed rows included', () => {
    expect(csr.indptr[1] - csr.indptr[0]).toBeGreaterThan(4096);
    expect(csr.indptr[2] - csr.indptr[1]).toBe(40);
    const whole = base('cg', X.slice());
    alsHalfStep(whole);
    for (const cuts of [[0, 1, 2, 3, 9], [0, 5, 6, 9], [0, 2, 7, 8, 9]]) {
      const split = base('cg', X.slice());
      for (let i = 0; i + 1 < cuts.length; i++) alsHalfStep({ ...split, rowBegin: cuts[i], rowEnd: cuts[i + 1] });
      expect(bytesOf(split.X).equals(bytesOf(whole.X))).toBe(true);
    }
    expect(Array.from(whole.X.subarray(4 * k, 5 * k))).toEqual(new Array(k).fill(0));
  });

  it('CG on streamed rows converges to the exact solution', () => {
    const cg = base('cg', X.slice());
    alsHalfStep({ ...cg, cgSteps: 200 });
    const exact = base('cholesky', X.slice());
    alsHalfStep(exact);
    expect(worstRowError(cg.X, exact.X, k, 0, rows)).toBeLessThan(1e-3);
  });

  it('Cholesky: a long row built in pieces matches the float64 solve', () => {
    const a = base('cholesky', X.slice());
    alsHalfStep({ ...a, rowEnd: 2 });
    const want = halfStepCholeskyRef({ csr, X, Y, YtY, k, reg: 0.1, rowBegin: 0, rowEnd: 2 });
    expect(worstRowError(a.X, want, k, 0, 2)).toBeLessThan(1e-3);
  });
});
