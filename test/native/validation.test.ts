import { describe, expect, it } from 'vitest';

import {
  alsHalfStep,
  alsHalfStepAsync,
  gram,
  gramAsync,
  implicitLoss,
  scoreTopK,
  scoreTopKAsync,
  solveSpd,
  type AlsHalfStepArgs,
  type LossArgs,
  type ScoreTopKArgs,
} from '../../src/native/index.js';
import { mulberry32, randomCsr, randomFloats } from '../reference/random.js';

const k = 4;
const csr = randomCsr(mulberry32(1), 10, 8, 0.4, { emptyRows: [2] });

function als(over: Record<string, unknown> = {}): AlsHalfStepArgs {
  const Y = randomFloats(mulberry32(2), 8 * k);
  return {
    indptr: csr.indptr.slice(),
    indices: csr.indices.slice(),
    pref: csr.pref.slice(),
    conf: csr.conf.slice(),
    X: randomFloats(mulberry32(3), 10 * k),
    Y,
    YtY: gram(Y, k),
    factors: k,
    regularization: 0.1,
    rowBegin: 0,
    rowEnd: 10,
    solver: 'cg',
    cgSteps: 3,
    ...over,
  } as AlsHalfStepArgs;
}

function loss(over: Record<string, unknown> = {}): LossArgs {
  const { YtY: _g, rowBegin: _b, rowEnd: _e, solver: _s, cgSteps: _c, ...rest } = als();
  return { ...rest, ...over } as LossArgs;
}

function topk(over: Record<string, unknown> = {}): ScoreTopKArgs {
  return {
    U: randomFloats(mulberry32(4), 10 * k),
    V: randomFloats(mulberry32(5), 8 * k),
    factors: k,
    userBegin: 0,
    userEnd: 10,
    n: 3,
    exclude: { indptr: csr.indptr, indices: csr.indices },
    outItems: new Int32Array(30),
    outScores: new Float32Array(30),
    ...over,
  } as ScoreTopKArgs;
}

function detached(): Float32Array {
  const buf = new ArrayBuffer(10 * k * 4);
  const view = new Float32Array(buf);
  structuredClone(buf, { transfer: [buf] });
  return view;
}

function badIndices(mutate: (ix: Int32Array) => void): Int32Array {
  const ix = csr.indices.slice();
  mutate(ix);
  return ix;
}

const firstRowWithTwo = (() => {
  for (let r = 0; r < 10; r++) if (csr.indptr[r + 1] - csr.indptr[r] >= 2) return r;
  throw new Error('test CSR needs a row with two entries');
})();
const e0 = csr.indptr[firstRowWithTwo];

describe('alsHalfStep rejects bad arguments', () => {
  const cases: [string, Record<string, unknown>, typeof TypeError | typeof RangeError, RegExp][] = [
    ['a Float32Array indptr', { indptr: new Float32Array(11) }, TypeError, /indptr must be a Int32Array, got Float32Array/],
    ['a Float64Array X', { X: new Float64Array(40) }, TypeError, /X must be a Float32Array, got Float64Array/],
    ['a plain array Y', { Y: [1, 2, 3] }, TypeError, /Y must be a Float32Array, got an Array/],
    ['a short X', { X: new Float32Array(39) }, RangeError, /X has length 39, expected rows\*factors = 40/],
    ['a short conf', { conf: new Float32Array(1) }, RangeError, /conf has length 1, expected indices.length/],
    ['a wrong YtY', { YtY: new Float32Array(15) }, RangeError, /YtY has length 15, expected factors\*factors = 16/],
    ['factors 0', { factors: 0 }, RangeError, /factors=0 must be an integer in \[1, /],
    ['fractional factors', { factors: 2.5 }, RangeError, /factors=2.5 must be an integer/],
    ['a string factors', { factors: '4' }, TypeError, /factors must be an integer, got a string/],
    ['negative rowBegin', { rowBegin: -1 }, RangeError, /rowBegin=-1 must be an integer in \[0, 10\]/],
    ['rowEnd past the rows', { rowEnd: 11 }, RangeError, /rowEnd=11 must be an integer in \[0, 10\]/],
    ['a reversed row range', { rowBegin: 6, rowEnd: 3 }, RangeError, /rowBegin=6 is greater than rowEnd=3/],
    ['NaN regularization', { regularization: NaN }, RangeError, /regularization=nan must be finite/],
    ['negative regularization', { regularization: -1 }, RangeError, /regularization=-1.* must be >= 0/],
    ['cgSteps 0', { cgSteps: 0 }, RangeError, /cgSteps=0 must be an integer in \[1, /],
    ['an unknown solver', { solver: 'lu' }, RangeError, /solver must be 'cg' or 'cholesky', got 'lu'/],
    ['an out-of-range index', { indices: badIndices((ix) => (ix[e0] = 5000)) }, RangeError, new RegExp(`indices\\[${e0}\\]=5000 out of range \\[0, 8\\)`)],
    ['a negative index', { indices: badIndices((ix) => (ix[e0] = -1)) }, RangeError, /out of range \[0, 8\)/],
    ['unsorted indices', { indices: badIndices((ix) => ([ix[e0], ix[e0 + 1]] = [ix[e0 + 1], ix[e0]])) }, RangeError, /is not strictly greater than the previous index/],
    ['a repeated index', { indices: badIndices((ix) => (ix[e0 + 1] = ix[e0])) }, RangeError, new RegExp(`indices\\[${e0 + 1}\\]=\\d+ in row ${firstRowWithTwo} is not strictly greater`)],
    ['a non-monotone indptr', { indptr: Int32Array.from(csr.indptr, (v, i) => (i === 5 ? csr.indptr[4] - 1 : v)) }, RangeError, /indptr\[5\]=.* is less than indptr\[4\]/],
    ['indptr not ending at nnz', { indptr: Int32Array.from(csr.indptr, (v, i) => (i === 10 ? v - 1 : v)) }, RangeError, /indptr\[10\]=.* must equal indices.length/],
    ['NaN confidence', { conf: Float32Array.from(csr.conf, (v, i) => (i === 2 ? NaN : v)) }, RangeError, /conf\[2\]=.*nan must be finite and >= 0/],
    ['negative confidence', { conf: Float32Array.from(csr.conf, (v, i) => (i === 2 ? -1 : v)) }, RangeError, /conf\[2\]=-1.* must be finite and >= 0/],
    ['infinite preference', { pref: Float32Array.from(csr.pref, (v, i) => (i === 0 ? Infinity : v)) }, RangeError, /pref\[0\]=inf must be finite/],
    ['a detached X', { X: detached() }, TypeError, /X is a view over a detached ArrayBuffer/],
  ];
  it.each(cases)('rejects %s', async (_label, over, kind, message) => {
    expect(() => alsHalfStep(als(over))).toThrow(kind);
    expect(() => alsHalfStep(als(over))).toThrow(message);
    // The async entry validates before queueing: it throws synchronously too.
    expect(() => alsHalfStepAsync(als(over))).toThrow(kind);
  });

  it('rejects a missing options object', () => {
    expect(() => (alsHalfStep as (a?: unknown) => void)()).toThrow(/alsHalfStep: expected an options object/);
  });

  it('reports a non-finite solution caused by NaN factors instead of crashing', async () => {
    const Y = randomFloats(mulberry32(2), 8 * k);
    Y[1] = NaN;
    expect(() => alsHalfStep(als({ Y, solver: 'cholesky' }))).toThrow(RangeError);
    expect(() => alsHalfStep(als({ Y, solver: 'cg' }))).toThrow(/alsHalfStep: solution of row \d+ is not finite/);
    await expect(alsHalfStepAsync(als({ Y }))).rejects.toThrow(RangeError);
  });

  it('reports a singular system (regularization 0, no entries in YtY) from the async entry as a RangeError', async () => {
    const Y = new Float32Array(8 * k);
    await expect(alsHalfStepAsync(als({ Y, YtY: new Float32Array(k * k), regularization: 0, solver: 'cholesky' }))).rejects.toThrow(
      /alsHalfStepAsync|alsHalfStep: normal equations of row \d+ are not positive definite/,
    );
  });
});

describe('implicitLoss rejects bad arguments', () => {
  it.each([
    ['an Int32Array pref', { pref: new Int32Array(csr.indices.length) }, TypeError, /implicitLoss: pref must be a Float32Array, got Int32Array/],
    ['a short Y', { Y: new Float32Array(7) }, RangeError, /implicitLoss: Y has length 7, not a multiple of factors=4/],
    ['an out-of-range index', { indices: badIndices((ix) => (ix[e0] = 8)) }, RangeError, /implicitLoss: indices\[\d+\]=8 out of range \[0, 8\)/],
    ['NaN confidence', { conf: Float32Array.from(csr.conf, (v, i) => (i === 0 ? NaN : v)) }, RangeError, /implicitLoss: conf\[0\]/],
    ['a detached Y', { Y: detached() }, TypeError, /implicitLoss: Y is a view over a detached ArrayBuffer/],
    ['a rowEnd past the rows', { rowEnd: 11 }, RangeError, /implicitLoss: rowEnd=11 must be an integer in \[0, 10\]/],
    ['a fractional rowBegin', { rowBegin: 1.5 }, RangeError, /implicitLoss: rowBegin=1.5 must be an integer/],
    ['a reversed row range', { rowBegin: 6, rowEnd: 3 }, RangeError, /implicitLoss: rowBegin=6 is greater than rowEnd=3/],
  ] as const)('rejects %s', (_label, over, kind, message) => {
    expect(() => implicitLoss(loss(over))).toThrow(kind);
    expect(() => implicitLoss(loss(over))).toThrow(message);
  });
});

describe('scoreTopK rejects bad arguments', () => {
  it.each([
    ['a Float64Array U', { U: new Float64Array(40) }, TypeError, /scoreTopK: U must be a Float32Array, got Float64Array/],
    ['a ragged V', { V: new Float32Array(31) }, RangeError, /scoreTopK: V has length 31, not a multiple of factors=4/],
    ['short outItems', { outItems: new Int32Array(29) }, RangeError, /scoreTopK: outItems has length 29, expected \(userEnd-userBegin\)\*n = 30/],
    ['Float32Array outItems', { outItems: new Float32Array(30) }, TypeError, /outItems must be a Int32Array/],
    ['a reversed user range', { userBegin: 5, userEnd: 4, outItems: new Int32Array(0), outScores: new Float32Array(0) }, RangeError, /userBegin=5 is greater than userEnd=4/],
    ['userEnd past the users', { userEnd: 11 }, RangeError, /userEnd=11 must be an integer in \[0, 10\]/],
    ['negative n', { n: -1 }, RangeError, /scoreTopK: n=-1 must be an integer/],
    ['factors 0', { factors: 0 }, RangeError, /scoreTopK: factors=0/],
    ['a short exclude.indptr', { exclude: { indptr: new Int32Array(10), indices: new Int32Array(0) } }, RangeError, /exclude.indptr has length 10, expected rows\(U\)\+1 = 11/],
    ['an out-of-range excluded item', { exclude: { indptr: Int32Array.from(csr.indptr), indices: badIndices((ix) => (ix[e0] = 8)) } }, RangeError, /scoreTopK: exclude: indices\[\d+\]=8 out of range \[0, 8\)/],
    ['unsorted excluded items', { exclude: { indptr: Int32Array.from(csr.indptr), indices: badIndices((ix) => ([ix[e0], ix[e0 + 1]] = [ix[e0 + 1], ix[e0]])) } }, RangeError, /scoreTopK: exclude: indices\[\d+\]=\d+ in row \d+ is not greater/],
    ['exclude as a typed array', { exclude: new Int32Array(3) }, TypeError, /exclude must be an object/],
    ['a short itemBias', { itemBias: new Float32Array(7) }, RangeError, /itemBias has length 7, expected items = 8/],
    ['a NaN itemBias', { itemBias: new Float32Array(8).fill(NaN) }, RangeError, /itemBias\[0\]=.*nan must be finite/],
    ['a detached V', { V: detached() }, TypeError, /scoreTopK: V is a view over a detached ArrayBuffer/],
  ] as const)('rejects %s', (_label, over, kind, message) => {
    expect(() => scoreTopK(topk(over))).toThrow(kind);
    expect(() => scoreTopK(topk(over))).toThrow(message);
    expect(() => scoreTopKAsync(topk(over))).toThrow(kind);
  });

  it('does not crash on NaN or Infinity factors', () => {
    const U = randomFloats(mulberry32(4), 10 * k);
    U[0] = NaN;
    U[5] = Infinity;
    const args = topk({ U });
    scoreTopK(args);
    // User 0 scores NaN everywhere: nothing is eligible.
    expect(Array.from(args.outItems.subarray(0, 3))).toEqual([-1, -1, -1]);
  });
});

describe('gram and solveSpd reject bad arguments', () => {
  it('gram', async () => {
    expect(() => gram(new Float64Array(8) as unknown as Float32Array, 2)).toThrow(/gram: Y must be a Float32Array, got Float64Array/);
    expect(() => gram(new Float32Array(7), 2)).toThrow(RangeError);
    expect(() => gram(new Float32Array(8), 0)).toThrow(/gram: factors=0/);
    expect(() => gram(new Float32Array(8), 2, new Float32Array(3))).toThrow(/gram: out has length 3, expected factors\*factors = 4/);
    expect(() => gram(detached(), 4)).toThrow(TypeError);
    expect(() => gramAsync(new Float32Array(7), 2)).toThrow(/gramAsync: Y has length 7/);
  });

  it('solveSpd', () => {
    expect(() => solveSpd(new Float32Array(4), new Float32Array(3), 2, 1, 0)).toThrow(/solveSpd: B has length 3, expected dim\*nrhs = 2/);
    expect(() => solveSpd(new Float32Array(3), new Float32Array(2), 2, 1, 0)).toThrow(/solveSpd: A has length 3, expected dim\*dim = 4/);
    expect(() => solveSpd(new Float32Array(4), new Float32Array(2), 2, 1, -1)).toThrow(/solveSpd: ridge=-1.* must be >= 0/);
    expect(() => solveSpd(new Float32Array([1, 0, 0, NaN]), new Float32Array(2), 2, 1, 0)).toThrow(/solveSpd: A\[3\]/);
  });
});
