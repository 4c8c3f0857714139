import { describe, expect, it } from 'vitest';

import { gram, gramAsync, nativeInfo, solveSpd } from '../../src/native/index.js';
import { gramRef } from '../reference/als.js';
import { relError } from '../reference/compare.js';
import { mulberry32, randomFloats } from '../reference/random.js';

// Tolerance: float32 accumulation over a few hundred rows; relative 1e-5 of the largest entry.
const TOL = 1e-5;

describe('gram', () => {
  it.each([
    [1, 1],
    [7, 1],
    [300, 16],
    [257, 33],
    [500, 64],
  ])('matches the float64 reference for %i rows × %i factors', (n, k) => {
    const Y = randomFloats(mulberry32(n * 31 + k), n * k);
    const G = gram(Y, k);
    expect(G.length).toBe(k * k);
    expect(relError(G, gramRef(Y, k))).toBeLessThan(TOL);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) expect(G[a * k + b]).toBe(G[b * k + a]);
  });

  it('gives zeros for zero rows and writes into a given output', () => {
    const out = new Float32Array(9).fill(7);
    expect(gram(new Float32Array(0), 3, out)).toBe(out);
    expect(Array.from(out)).toEqual(new Array(9).fill(0));
  });

  it('async gives the same bits as sync, also over a SharedArrayBuffer', async () => {
    const Y = new Float32Array(new SharedArrayBuffer(200 * 24 * 4));
    Y.set(randomFloats(mulberry32(5), Y.length));
    const out = new Float32Array(24 * 24);
    const got = await gramAsync(Y, 24, out);
    expect(got).toBe(out);
    expect(Array.from(got)).toEqual(Array.from(gram(Y, 24)));
  });
});

describe('solveSpd', () => {
  it('solves (A + ridge·I) X = B for several right-hand sides', () => {
    const rng = mulberry32(11);
    const dim = 12;
    const nrhs = 3;
    const M = randomFloats(rng, 40 * dim);
    const A = gram(M, dim);
    const B = randomFloats(rng, dim * nrhs);
    const ridge = 0.5;
    const X = solveSpd(A, B, dim, nrhs, ridge);
    // Residual of the float64 product against B.
    const resid: number[] = [];
    for (let a = 0; a < dim; a++) {
      for (let r = 0; r < nrhs; r++) {
        let s = ridge * X[a * nrhs + r];
        for (let c = 0; c < dim; c++) s += A[a * dim + c] * X[c * nrhs + r];
        resid.push(s);
      }
    }
    expect(relError(resid, B)).toBeLessThan(1e-5);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => solveSpd(new Float32Array([1, 2, 2, 1]), new Float32Array(2), 2, 1, 0)).toThrow(RangeError);
    expect(() => solveSpd(new Float32Array([1, 2, 2, 1]), new Float32Array(2), 2, 1, 0)).toThrow(/solveSpd: A \+ ridge/);
  });
});

describe('nativeInfo', () => {
  it('reports the instruction set, BLAS and version', () => {
    const info = nativeInfo();
    expect(info.simdCompiled).toMatch(/avx512f|avx2|scalar/);
    expect(info.simdDetected.length).toBeGreaterThan(0);
    expect(info.blas.length).toBeGreaterThan(0);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
