import { describe, expect, it } from 'vitest';

import {
  alsHalfStep,
  alsHalfStepAsync,
  gram,
  implicitLoss,
  type AlsHalfStepArgs,
} from '../../src/native/index.js';
import { halfStepCgRef, halfStepCholeskyRef, lossRef, transposeCsr } from '../reference/als.js';
import { relError, worstRowError } from '../reference/compare.js';
import { mulberry32, randomCsr, randomFloats, type RandomCsr } from '../reference/random.js';
import { bytesOf } from '../reference/shared.js';

// Tolerances (relative to the largest entry of each solved row):
//  - Cholesky vs float64 dense Cholesky: 1e-4 (the native system is built in float32).
//  - CG (3 steps) vs the float64 CG reference: 1e-4; CG with many steps vs Cholesky: 1e-3.
const TOL_SOLVE = 1e-4;

function problem(seed: number, rows: number, cols: number, k: number, density: number, emptyRows: number[] = []) {
  const rng = mulberry32(seed);
  const csr = randomCsr(rng, rows, cols, density, { emptyRows });
  const X = randomFloats(rng, rows * k, -0.1, 0.1);
  const Y = randomFloats(rng, cols * k, -0.1, 0.1);
  return { csr, X, Y };
}

/** A CSR whose row r has lengths[r] entries, entry e at column(r, e); pref in [0, 1), conf in [1, confMax). */
function csrOfLengths(rng: () => number, cols: number, lengths: number[], column: (r: number, e: number) => number, confMax: number): RandomCsr {
  const rows = lengths.length;
  const indptr = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) indptr[r + 1] = indptr[r] + lengths[r];
  const indices = new Int32Array(indptr[rows]);
  for (let r = 0; r < rows; r++) for (let e = 0; e < lengths[r]; e++) indices[indptr[r] + e] = column(r, e);
  const nnz = indices.length;
  return { rows, cols, indptr, indices, pref: randomFloats(rng, nnz, 0, 1), conf: randomFloats(rng, nnz, 1, confMax) };
}

function args(csr: RandomCsr, X: Float32Array, Y: Float32Array, k: number, over: Partial<AlsHalfStepArgs> = {}): AlsHalfStepArgs {
  return {
    indptr: csr.indptr,
    indices: csr.indices,
    pref: csr.pref,
    conf: csr.conf,
    X,
    Y,
    YtY: gram(Y, k),
    factors: k,
    regularization: 0.1,
    rowBegin: 0,
    rowEnd: csr.rows,
    solver: 'cholesky',
    cgSteps: 3,
    ...over,
  };
}

describe('alsHalfStep (cholesky)', () => {
  it.each([
    [40, 30, 1, 0.3],
    [60, 50, 8, 0.2],
    [50, 80, 32, 0.15],
    [20, 200, 64, 0.2],
    [20, 100, 130, 0.25],
  ])('matches dense float64 Cholesky: %i rows, %i cols, k=%i', (rows, cols, k, density) => {
    const { csr, X, Y } = problem(rows * 7 + k, rows, cols, k, density, [3]);
    const a = args(csr, X.slice(), Y, k);
    const want = halfStepCholeskyRef({ csr, X, Y, YtY: a.YtY, k, reg: 0.1, rowBegin: 0, rowEnd: rows });
    alsHalfStep(a);
    expect(worstRowError(a.X, want, k, 0, rows)).toBeLessThan(TOL_SOLVE);
    expect(Array.from(a.X.subarray(3 * k, 4 * k))).toEqual(new Array(k).fill(0));
  });

  it('handles confidences below 1 (negative weights c − 1) on long and short rows, both solvers', () => {
    const k = 20;
    const { csr, X, Y } = problem(41, 30, 60, k, 0.3);
    const rng = mulberry32(42);
    // Every other row gets confidences in [0, 2): some weights c − 1 are negative.
    for (let r = 0; r < 30; r += 2) for (let e = csr.indptr[r]; e < csr.indptr[r + 1]; e++) csr.conf[e] = 2 * rng();
    csr.conf[csr.indptr[4]] = 0;
    for (const solver of ['cholesky', 'cg'] as const) {
      const a = args(csr, X.slice(), Y, k, { solver, cgSteps: 4 });
      const ref = { csr, X, Y, YtY: a.YtY, k, reg: 0.1, rowBegin: 0, rowEnd: 30 };
      const want = solver === 'cg' ? halfStepCgRef(ref, 4) : halfStepCholeskyRef(ref);
      alsHalfStep(a);
      expect(worstRowError(a.X, want, k, 0, 30)).toBeLessThan(TOL_SOLVE);
    }
  });

  it('touches only the requested row range; an empty range changes nothing', () => {
    const k = 6;
    const { csr, X, Y } = problem(3, 30, 25, k, 0.3);
    const a = args(csr, X.slice(), Y, k, { rowBegin: 10, rowEnd: 17 });
    alsHalfStep(a);
    expect(Array.from(a.X.subarray(0, 10 * k))).toEqual(Array.from(X.subarray(0, 10 * k)));
    expect(Array.from(a.X.subarray(17 * k))).toEqual(Array.from(X.subarray(17 * k)));
    const want = halfStepCholeskyRef({ csr, X, Y, YtY: a.YtY, k, reg: 0.1, rowBegin: 10, rowEnd: 17 });
    expect(worstRowError(a.X, want, k, 10, 17)).toBeLessThan(TOL_SOLVE);

    const b = args(csr, X.slice(), Y, k, { rowBegin: 12, rowEnd: 12 });
    alsHalfStep(b);
    expect(Array.from(b.X)).toEqual(Array.from(X));
  });

  it('handles 0 rows, a single row and a matrix without entries', () => {
    const k = 4;
    const Y = randomFloats(mulberry32(1), 10 * k);
    const none = { rows: 0, cols: 10, indptr: new Int32Array(1), indices: new Int32Array(0), pref: new Float32Array(0), conf: new Float32Array(0) };
    alsHalfStep(args(none, new Float32Array(0), Y, k));

    const one = randomCsr(mulberry32(2), 1, 10, 0.5);
    const X1 = new Float32Array(k);
    const a = args(one, X1, Y, k);
    alsHalfStep(a);
    const want = halfStepCholeskyRef({ csr: one, X: new Float32Array(k), Y, YtY: a.YtY, k, reg: 0.1, rowBegin: 0, rowEnd: 1 });
    expect(relError(X1, want)).toBeLessThan(TOL_SOLVE);

    const empty = randomCsr(mulberry32(3), 5, 10, 0);
    const X5 = randomFloats(mulberry32(4), 5 * k);
    alsHalfStep(args(empty, X5, Y, k, { solver: 'cg' }));
    expect(Array.from(X5)).toEqual(new Array(5 * k).fill(0));
  });

  it('never increases the loss over alternating sweeps (X-step, then Y-step on the transpose)', () => {
    const k = 8;
    const reg = 0.05;
    const { csr, X, Y } = problem(99, 60, 45, k, 0.15, [5]);
    const csrT = transposeCsr(csr);
    const loss = () =>
      implicitLoss({ indptr: csr.indptr, indices: csr.indices, pref: csr.pref, conf: csr.conf, X, Y, factors: k, regularization: reg }).raw;
    let prev = loss();
    for (let sweep = 0; sweep < 5; sweep++) {
      alsHalfStep(args(csr, X, Y, k, { regularization: reg }));
      const afterX = loss();
      expect(afterX).toBeLessThanOrEqual(prev * (1 + 1e-6));
      alsHalfStep(args(csrT, Y, X, k, { regularization: reg }));
      const afterY = loss();
      expect(afterY).toBeLessThanOrEqual(afterX * (1 + 1e-6));
      prev = afterY;
    }
    const ref = lossRef(csr, X, Y, k, reg);
    expect(Math.abs(prev - ref.raw) / ref.raw).toBeLessThan(1e-5);
  });
});

describe('alsHalfStep (cg)', () => {
  it.each([
    [40, 30, 1, 0.3, 3],
    [60, 50, 8, 0.2, 3],
    [50, 80, 32, 0.15, 2],
    // k ≤ 64 takes the one-read pass on AVX-512: one to four registers a row (16, 17, 31, 33, 64).
    [45, 70, 16, 0.2, 3],
    [45, 70, 17, 0.2, 3],
    [45, 70, 31, 0.25, 3],
    [20, 200, 64, 0.2, 3],
    [30, 120, 33, 0.2, 3],
    [24, 150, 128, 0.2, 3],
    [20, 100, 130, 0.25, 2],
  ])('matches the float64 CG reference: %i rows, %i cols, k=%i, density %f, %i steps', (rows, cols, k, density, steps) => {
    const { csr, X, Y } = problem(rows * 13 + k, rows, cols, k, density, [0, rows - 1]);
    const a = args(csr, X.slice(), Y, k, { solver: 'cg', cgSteps: steps });
    const want = halfStepCgRef({ csr, X, Y, YtY: a.YtY, k, reg: 0.1, rowBegin: 0, rowEnd: rows }, steps);
    alsHalfStep(a);
    expect(worstRowError(a.X, want, k, 0, rows)).toBeLessThan(TOL_SOLVE);
    expect(Array.from(a.X.subarray(0, k))).toEqual(new Array(k).fill(0));
  });

  // The gather scratch holds 4 MiB of factors a lane: 4,096 entries at k=256, 16,384 at 64, 32,768 at 32.
  it.each([
    [256, 5000],
    [64, 17_000],
    [32, 33_700],
  ])('streams a row longer than its gather scratch in pieces (k=%i, %i entries), both solvers', (k, cols) => {
    const rows = 5;
    const rng = mulberry32(77);
    // Row 1 holds every column; the others are short, so one lockstep group mixes both kinds.
    const csr = csrOfLengths(rng, cols, [3, cols, 0, 40, 7], (r, e) => (r === 1 ? e : e * 97 + r), 4);
    const X = randomFloats(rng, rows * k, -0.1, 0.1);
    const Y = randomFloats(rng, cols * k, -0.1, 0.1);
    for (const solver of ['cg', 'cholesky'] as const) {
      const a = args(csr, X.slice(), Y, k, { solver });
      const ref = { csr, X, Y, YtY: a.YtY, k, reg: 0.1, rowBegin: 0, rowEnd: rows };
      const want = solver === 'cg' ? halfStepCgRef(ref, 3) : halfStepCholeskyRef(ref);
      alsHalfStep(a);
      expect(worstRowError(a.X, want, k, 0, rows)).toBeLessThan(TOL_SOLVE);
    }
  });

  it('gives the same bits when a call reuses scratch another call left dirty (the thread keeps large blocks)', () => {
    // Rows of 20,000 entries at k = 32 gather 2.5 MB a lane: blocks the thread keeps between calls.
    const k = 32;
    const longRows = (seed: number) => {
      const rng = mulberry32(seed);
      const cols = 20_000;
      const lengths = [cols, 5, cols - 7, 0, cols - 1, 30];
      const csr = csrOfLengths(rng, cols, lengths, (r, e) => (lengths[r] >= cols - 7 ? e : e * 131 + r), 9);
      return { csr, X: randomFloats(rng, csr.rows * k, -0.3, 0.3), Y: randomFloats(rng, cols * k, -0.3, 0.3) };
    };
    const p = longRows(5);
    const q = longRows(6);
    for (const solver of ['cg', 'cholesky'] as const) {
      const first = args(p.csr, p.X.slice(), p.Y, k, { solver });
      alsHalfStep(first);
      alsHalfStep(args(q.csr, q.X.slice(), q.Y, k, { solver }));
      const again = args(p.csr, p.X.slice(), p.Y, k, { solver });
      alsHalfStep(again);
      expect(Array.from(again.X)).toEqual(Array.from(first.X));
    }
  });

  it('converges to the Cholesky solution with many steps', () => {
    const k = 16;
    const { csr, X, Y } = problem(17, 40, 60, k, 0.2);
    const chol = args(csr, X.slice(), Y, k);
    alsHalfStep(chol);
    const cg = args(csr, X.slice(), Y, k, { solver: 'cg', cgSteps: 60 });
    alsHalfStep(cg);
    expect(worstRowError(cg.X, chol.X, k, 0, 40)).toBeLessThan(1e-3);
  });

  it('async entries give the same bits as sync for both solvers', async () => {
    const k = 12;
    const { csr, X, Y } = problem(23, 50, 40, k, 0.2);
    for (const solver of ['cg', 'cholesky'] as const) {
      const sync = args(csr, X.slice(), Y, k, { solver });
      alsHalfStep(sync);
      const shared = new Float32Array(new SharedArrayBuffer(X.byteLength));
      shared.set(X);
      const async = args(csr, shared, Y, k, { solver });
      await alsHalfStepAsync(async);
      expect(bytesOf(shared).equals(bytesOf(sync.X))).toBe(true);
    }
  });

  it('accepts typed-array views at an offset into a larger buffer', () => {
    const k = 5;
    const { csr, X, Y } = problem(31, 12, 20, k, 0.3);
    const plain = args(csr, X.slice(), Y, k, { solver: 'cg' });
    alsHalfStep(plain);
    const big = new Float32Array(X.length + 7).fill(9);
    const view = big.subarray(3, 3 + X.length);
    view.set(X);
    alsHalfStep(args(csr, view, Y, k, { solver: 'cg' }));
    expect(Array.from(view)).toEqual(Array.from(plain.X));
    expect(Array.from(big.subarray(0, 3))).toEqual([9, 9, 9]);
    expect(Array.from(big.subarray(3 + X.length))).toEqual([9, 9, 9, 9]);
  });

  it('gives the same bits whatever the row sharding', () => {
    const k = 10;
    const { csr, X, Y } = problem(29, 37, 30, k, 0.25);
    const whole = args(csr, X.slice(), Y, k, { solver: 'cg' });
    alsHalfStep(whole);
    const sharded = args(csr, X.slice(), Y, k, { solver: 'cg' });
    for (const [b, e] of [[0, 5], [5, 6], [6, 30], [30, 37]]) alsHalfStep({ ...sharded, rowBegin: b, rowEnd: e });
    expect(Array.from(sharded.X)).toEqual(Array.from(whole.X));
  });
});

describe('implicitLoss', () => {
  it.each([
    [30, 20, 1],
    [25, 40, 8],
    [10, 60, 33],
  ])('matches the brute-force loss: %i rows, %i cols, k=%i', (rows, cols, k) => {
    const { csr, X, Y } = problem(rows + cols + k, rows, cols, k, 0.2, [1]);
    const got = implicitLoss({ indptr: csr.indptr, indices: csr.indices, pref: csr.pref, conf: csr.conf, X, Y, factors: k, regularization: 0.3 });
    const want = lossRef(csr, X, Y, k, 0.3);
    expect(Math.abs(got.raw - want.raw) / want.raw).toBeLessThan(1e-6);
    expect(Math.abs(got.normalized - want.normalized) / want.normalized).toBeLessThan(1e-6);
  });

  it('is 0 for an empty problem', () => {
    const got = implicitLoss({ indptr: new Int32Array(1), indices: new Int32Array(0), pref: new Float32Array(0), conf: new Float32Array(0), X: new Float32Array(0), Y: new Float32Array(0), factors: 3, regularization: 0.1 });
    expect(got).toEqual({ raw: 0, normalized: 0, fit: 0, normX: 0, normY: 0, confSum: 0 });
  });

  it('sums over row ranges (empty ones included) to the brute-force loss', () => {
    const [rows, cols, k, reg] = [37, 23, 5, 0.3];
    const { csr, X, Y } = problem(11, rows, cols, k, 0.2, [1, 2]);
    const want = lossRef(csr, X, Y, k, reg);
    const base = { indptr: csr.indptr, indices: csr.indices, pref: csr.pref, conf: csr.conf, X, Y, factors: k, regularization: reg };
    const whole = implicitLoss(base);
    const parts = [[0, 0], [0, 9], [9, 10], [10, 10], [10, 37]].map(([b, e]) => implicitLoss({ ...base, rowBegin: b, rowEnd: e }));
    for (const p of parts) expect(p.normY).toBe(whole.normY);
    const sum = (f: (p: (typeof parts)[number]) => number): number => parts.reduce((a, p) => a + f(p), 0);
    const raw = sum((p) => p.fit) + reg * (sum((p) => p.normX) + whole.normY);
    const nnz = csr.indices.length;
    expect(Math.abs(raw - want.raw) / want.raw).toBeLessThan(1e-6);
    expect(Math.abs(raw / (sum((p) => p.confSum) + rows * cols - nnz) - want.normalized) / want.normalized).toBeLessThan(1e-6);
    expect(Math.abs(whole.fit + reg * (whole.normX + whole.normY) - whole.raw)).toBeLessThan(1e-9 * whole.raw);
  });
});
