/**
 * Seeded fuzzing of every native entry from JS. Each case builds a small valid call, optionally
 * breaks one thing (wrong typed-array kind, detached or SharedArrayBuffer-backed views, lengths,
 * NaN/Infinity, broken CSR structure, bad ranges, huge sizes), and checks the outcome:
 *  - a broken call throws a TypeError or RangeError naming the entry (never a crash, never another
 *    error type), synchronously for argument errors;
 *  - a valid call succeeds, and its outputs match a float64 reference and contain no NaN;
 *  - rows outside an ALS range are never written.
 * What the addon promises about non-finite *factors*: X/Y/U/V are not validated (validate.h checks
 * conf, pref, YtY, itemBias, A, B); ALS reports a non-finite solution as a RangeError and top-k
 * treats NaN scores as ineligible, so NaN never reaches an output from finite inputs.
 */
import { afterAll, describe, expect, it } from 'vitest';

import {
  alsHalfStep,
  alsHalfStepAsync,
  gram,
  gramAsync,
  implicitLoss,
  prepareItems,
  dotsWithVector,
  rowDots,
  scoreTopK,
  scoreTopKAsync,
  solveSpd,
  type AlsHalfStepArgs,
  type LossArgs,
  type ScoreTopKArgs,
} from '../../src/native/index.js';
import { mulberry32, randomCsr, randomFloats, type Rng } from '../reference/random.js';
import { sharedCopy } from '../reference/shared.js';
import { dotInFixedOrder, rowOf } from '../reference/row-dots.js';

/** ok: must succeed; type/range: must throw that; either: RangeError or success (outputs checked). */
type Expect = 'ok' | 'type' | 'range' | 'either';

const counts = { cases: 0, ok: 0, type: 0, range: 0 };
afterAll(() => {
  console.log(`native fuzz: ${counts.cases} cases (${counts.ok} succeeded, ${counts.type} TypeError, ${counts.range} RangeError)`);
});

const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

// ---- views ------------------------------------------------------------------------------------

type Typed = Float32Array | Int32Array;

function detachedLike(a: Typed): Typed {
  const copy = a.slice();
  structuredClone(copy.buffer, { transfer: [copy.buffer] });
  return copy;
}

/** The same values in a view that starts partway into a larger buffer. */
function offsetCopy<T extends Typed>(a: T): T {
  const Ctor = a.constructor as new (b: ArrayBuffer, off: number, len: number) => T;
  const buf = new ArrayBuffer(a.byteLength + 24);
  const out = new Ctor(buf, 12, a.length);
  out.set(a as never);
  return out;
}

/** A value of the wrong kind for a Float32Array (or Int32Array) argument. */
function wrongKind(rng: Rng, a: Typed): unknown {
  const float = a instanceof Float32Array;
  const options: (() => unknown)[] = [
    () => (float ? Int32Array.from(a) : Float32Array.from(a)),
    () => Float64Array.from(a),
    () => Uint32Array.from(a, (v) => Math.abs(v) >>> 0),
    () => new Uint8Array(a.buffer.slice(0)),
    () => new Uint8ClampedArray(a.length),
    () => new Int16Array(a.length),
    () => new BigInt64Array(a.length),
    () => new DataView(a.buffer.slice(0)),
    () => a.buffer.slice(0),
    () => Array.from(a),
    () => a.length,
    () => 'Float32Array',
    () => null,
    () => undefined,
    () => ({ length: a.length, 0: 1 }),
    () => () => a,
  ];
  return pick(rng, options)();
}

// ---- outcome ----------------------------------------------------------------------------------

const ENTRY = /^(gram|alsHalfStep|implicitLoss|scoreTopK|solveSpd|rowDots|dotsWithVector)(Async)?: /;

/** Runs one call (sync or async) and checks the outcome class; returns whether it succeeded. */
async function outcome(label: string, expected: Expect, call: () => unknown): Promise<boolean> {
  counts.cases++;
  let thrown: unknown;
  try {
    const r = call();
    if (r instanceof Promise) {
      try {
        await r;
      } catch (err) {
        // A queued call may only fail for what the kernel finds (a non-finite or singular solve).
        if (!(err instanceof RangeError)) throw new Error(`${label}: async rejection is ${String(err)}`);
        thrown = err;
      }
    }
  } catch (err) {
    thrown = err;
  }
  if (thrown === undefined) {
    if (expected === 'type' || expected === 'range') throw new Error(`${label}: expected a ${expected === 'type' ? 'TypeError' : 'RangeError'}, but the call succeeded`);
    counts.ok++;
    return true;
  }
  const e = thrown as Error;
  const kind = e instanceof TypeError ? 'type' : e instanceof RangeError ? 'range' : 'other';
  if (kind === 'other' || !ENTRY.test(e.message)) throw new Error(`${label}: threw ${e?.constructor?.name}: ${e?.message}`);
  if (expected === 'ok' || (expected === 'either' && kind !== 'range') || (expected !== 'either' && kind !== expected)) {
    throw new Error(`${label}: expected ${expected}, got ${e.constructor.name}: ${e.message}`);
  }
  counts[kind]++;
  return false;
}

function assertFinite(label: string, name: string, a: ArrayLike<number>): void {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`${label}: ${name}[${i}] = ${a[i]} from finite inputs`);
}

function assertClose(label: string, what: string, got: number, want: number, tol: number): void {
  if (!(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)))) throw new Error(`${label}: ${what} = ${got}, expected ${want}`);
}

/** Scalars that are not valid integers/numbers for any argument. */
const BAD_INTS: [unknown, Expect][] = [
  [-1, 'range'],
  [2.5, 'range'],
  [NaN, 'range'],
  [Infinity, 'range'],
  [-Infinity, 'range'],
  [2 ** 53, 'range'],
  [2 ** 64, 'range'],
  ['3', 'type'],
  [null, 'type'],
  [undefined, 'type'],
  [true, 'type'],
  [3n, 'type'],
];

// ---- gram -------------------------------------------------------------------------------------

function gramRef(Y: Float32Array, n: number, k: number): Float64Array {
  const G = new Float64Array(k * k);
  for (let r = 0; r < n; r++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) G[a * k + b] += Y[r * k + a] * Y[r * k + b];
  return G;
}

async function gramCase(seed: number): Promise<void> {
  const rng = mulberry32(seed);
  const k = int(rng, 1, 9);
  const n = int(rng, 0, 12);
  let Y: unknown = randomFloats(rng, n * k);
  const Y0 = (Y as Float32Array).slice();
  let factors: unknown = k;
  let out: unknown = rng() < 0.5 ? new Float32Array(k * k).fill(7) : undefined;
  let expected: Expect = 'ok';
  let finiteInputs = true;
  const m = int(rng, 0, 11);
  switch (m) {
    case 0: break;
    case 1: Y = wrongKind(rng, Y as Float32Array); expected = 'type'; break;
    case 2: Y = detachedLike(Y as Float32Array); expected = 'type'; break;
    case 3: Y = sharedCopy(Y as Float32Array); out = out && sharedCopy(out as Float32Array); break;
    case 4: Y = offsetCopy(Y as Float32Array); break;
    case 5: { // a length that is not a multiple of k
      if (k === 1) break;
      Y = randomFloats(rng, n * k + int(rng, 1, k - 1)); expected = 'range'; break;
    }
    case 6: [factors, expected] = pick(rng, [...BAD_INTS, [0, 'range'], [4097, 'range'], [2 ** 31, 'range']] as [unknown, Expect][]); break;
    case 7: out = new Float32Array(k * k + pick(rng, [-1, 1, k])); expected = 'range'; break;
    case 8: out = rng() < 0.5 ? wrongKind(rng, new Float32Array(k * k)) : detachedLike(new Float32Array(k * k)); expected = out === undefined ? 'ok' : 'type'; break;
    case 9: if (n > 0) { (Y as Float32Array)[int(rng, 0, n * k - 1)] = pick(rng, [NaN, Infinity, -Infinity]); finiteInputs = false; } break;
    case 10: // the largest k with an out array that cannot fit: rejected by length, nothing allocated
      factors = 4096; out = new Float32Array(k * k); expected = 'range'; break;
    case 11: if (out) out = sharedCopy(out as Float32Array); break;
  }
  const label = `gram#${seed} m${m}`;
  const useAsync = rng() < 0.3;
  let result: Float32Array | undefined;
  const ok = await outcome(label, expected, () => {
    const r = useAsync
      ? gramAsync(Y as Float32Array, factors as number, out as Float32Array | undefined)
      : gram(Y as Float32Array, factors as number, out as Float32Array | undefined);
    return r instanceof Promise ? r.then((g) => void (result = g)) : void (result = r);
  });
  if (!ok || factors !== k) return;
  if (out !== undefined && result !== out) throw new Error(`${label}: the result is not the given out array`);
  if (!finiteInputs) return;
  const ref = gramRef(Y0, n, k);
  assertFinite(label, 'G', result!);
  for (let i = 0; i < k * k; i++) assertClose(label, `G[${i}]`, result![i], ref[i], 1e-5);
}

// ---- ALS half-step and loss ---------------------------------------------------------------------

interface AlsCase {
  args: Record<string, unknown>;
  rows: number;
  cols: number;
  k: number;
}

function alsBase(rng: Rng): AlsCase {
  const rows = int(rng, 0, 8);
  const cols = int(rng, 0, 8);
  const k = int(rng, 1, 8);
  const csr = randomCsr(rng, rows, cols, rng() * 0.8, { alpha: 8 });
  const Y = randomFloats(rng, cols * k, -0.5, 0.5);
  const rowBegin = int(rng, 0, rows);
  const rowEnd = int(rng, rowBegin, rows);
  return {
    rows,
    cols,
    k,
    args: {
      indptr: csr.indptr,
      indices: csr.indices,
      pref: csr.pref,
      conf: csr.conf,
      X: randomFloats(rng, rows * k, -0.5, 0.5),
      Y,
      YtY: gram(Y, k),
      factors: k,
      regularization: pick(rng, [0.01, 0.1, 1, 5]),
      rowBegin,
      rowEnd,
      solver: pick(rng, ['cg', 'cholesky'] as const),
      cgSteps: int(rng, 1, 6),
    },
  };
}

/** Entries (positions in indices) of rows [b, e). */
function entryRange(indptr: Int32Array, b: number, e: number): [number, number] {
  return [indptr[b], indptr[e]];
}

/**
 * Breaks one thing of an ALS or loss call; `checkedRows` are the rows whose CSR and values the
 * entry validates (the half-step only reads its row range). Returns the expectation.
 */
function breakCsrCall(rng: Rng, c: AlsCase, checked: [number, number], m: number, arrays: readonly string[]): { expected: Expect; finite: boolean } {
  const a = c.args;
  const indptr = a.indptr as Int32Array;
  const [e0, e1] = entryRange(indptr, checked[0], checked[1]);
  const hasChecked = e1 > e0;
  const nnz = (a.indices as Int32Array).length;
  switch (m) {
    case 0: return { expected: 'ok', finite: true };
    case 1: { const name = pick(rng, arrays); a[name] = wrongKind(rng, a[name] as Typed); return { expected: 'type', finite: true }; }
    case 2: { const name = pick(rng, arrays); a[name] = detachedLike(a[name] as Typed); return { expected: 'type', finite: true }; }
    case 3: for (const name of arrays) a[name] = sharedCopy(a[name] as Typed); return { expected: 'ok', finite: true };
    case 4: for (const name of arrays) a[name] = offsetCopy(a[name] as Typed); return { expected: 'ok', finite: true };
    case 5: { // wrong length of a dense array
      const name = pick(rng, arrays.filter((n) => n !== 'indptr' && n !== 'indices'));
      const old = a[name] as Float32Array;
      const len = old.length + pick(rng, [-1, 1, 2, c.k]);
      if (len < 0) return { expected: 'ok', finite: true };
      // Y may grow by whole rows (more columns) and stay valid.
      const valid = name === 'Y' && len % c.k === 0;
      a[name] = randomFloats(rng, len);
      if (valid) return { expected: 'either', finite: false };
      return { expected: 'range', finite: true };
    }
    case 6: { // an index out of range in a checked row
      if (!hasChecked) return { expected: 'ok', finite: true };
      const ix = (a.indices as Int32Array).slice();
      ix[int(rng, e0, e1 - 1)] = pick(rng, [c.cols, c.cols + 1, -1, -(2 ** 31), 2 ** 31 - 1]);
      a.indices = ix;
      return { expected: 'range', finite: true };
    }
    case 7: { // an index out of range in an unchecked row: not read, so accepted
      const outside: number[] = [];
      for (let e = 0; e < nnz; e++) if (e < e0 || e >= e1) outside.push(e);
      if (outside.length === 0) return { expected: 'ok', finite: true };
      const ix = (a.indices as Int32Array).slice();
      ix[pick(rng, outside)] = c.cols + 5;
      a.indices = ix;
      return { expected: 'ok', finite: true };
    }
    case 8: { // unsorted or duplicate indices inside a checked row
      let row = -1;
      for (let r = checked[0]; r < checked[1]; r++) if (indptr[r + 1] - indptr[r] >= 2) row = r;
      if (row < 0) return { expected: 'ok', finite: true };
      const ix = (a.indices as Int32Array).slice();
      const p = indptr[row];
      if (rng() < 0.5) [ix[p], ix[p + 1]] = [ix[p + 1], ix[p]];
      else ix[p + 1] = ix[p];
      a.indices = ix;
      return { expected: 'range', finite: true };
    }
    case 9: { // broken indptr structure (checked over all rows)
      const ip = indptr.slice();
      const r = int(rng, 0, ip.length - 1);
      const how = int(rng, 0, 3);
      if (how === 0) ip[0] = pick(rng, [1, -1]);
      else if (how === 1) ip[ip.length - 1] = nnz + pick(rng, [1, -1, 2 ** 31 - 1 - nnz]);
      else if (how === 2) { if (r === 0) ip[0] = 1; else ip[r] = ip[r - 1] - 1; }
      else ip[r] = -(2 ** 31);
      if (ip.length === 1 && ip[0] === 0) return { expected: 'ok', finite: true };
      a.indptr = ip;
      return { expected: 'range', finite: true };
    }
    case 10: a.indptr = new Int32Array(0); return { expected: 'range', finite: true };
    case 11: { // NaN/Inf/negative confidence or NaN/Inf preference in a checked row
      if (!hasChecked) return { expected: 'ok', finite: true };
      const name = rng() < 0.6 ? 'conf' : 'pref';
      const v = (a[name] as Float32Array).slice();
      v[int(rng, e0, e1 - 1)] = name === 'conf' ? pick(rng, [NaN, Infinity, -Infinity, -1, -1e-30]) : pick(rng, [NaN, Infinity, -Infinity]);
      a[name] = v;
      return { expected: 'range', finite: true };
    }
    case 12: { // confidence below 1 (negative weight c−1): allowed, may make a system indefinite
      if (!hasChecked) return { expected: 'ok', finite: true };
      const v = (a.conf as Float32Array).slice();
      v[int(rng, e0, e1 - 1)] = pick(rng, [0, 0.5, 0.999]);
      a.conf = v;
      return { expected: 'either', finite: true };
    }
    case 13: { // huge finite confidence: alpha·w overflowing the float32 system
      if (!hasChecked) return { expected: 'ok', finite: true };
      const v = (a.conf as Float32Array).slice();
      v[int(rng, e0, e1 - 1)] = pick(rng, [3e38, 1e30, 1e20]);
      a.conf = v;
      return { expected: 'either', finite: true };
    }
    case 14: { // NaN/Inf in a factor matrix: not validated; the solve or the loss reports it or ignores it
      const name = pick(rng, ['X', 'Y'].filter((n) => arrays.includes(n)));
      const v = (a[name] as Float32Array).slice();
      if (v.length === 0) return { expected: 'ok', finite: true };
      v[int(rng, 0, v.length - 1)] = pick(rng, [NaN, Infinity, -Infinity]);
      a[name] = v;
      return { expected: 'either', finite: false };
    }
    case 15: { // factors: invalid values, or a valid one that does not fit the lengths
      if (rng() < 0.7) {
        const [v, ex] = pick(rng, [...BAD_INTS, [0, 'range'], [4097, 'range'], [2 ** 40, 'range']] as [unknown, Expect][]);
        a.factors = v;
        return { expected: ex, finite: true };
      }
      a.factors = c.k + 1;
      // Consistent only without rows (X is empty) and with Y's length divisible by k+1; YtY never is.
      const fits = !('YtY' in a) && c.rows === 0 && (c.cols * c.k) % (c.k + 1) === 0;
      return { expected: fits ? 'ok' : 'range', finite: false };
    }
    case 16: { // regularization
      const [v, ex] = pick(rng, [[NaN, 'range'], [Infinity, 'range'], [-1, 'range'], [-1e-30, 'range'], ['0.1', 'type'], [undefined, 'type'], [null, 'type']] as [unknown, Expect][]);
      a.regularization = v;
      return { expected: ex, finite: true };
    }
    default: throw new Error(`no mutation ${m}`);
  }
}

const ALS_ARRAYS = ['indptr', 'indices', 'pref', 'conf', 'X', 'Y', 'YtY'] as const;
const LOSS_ARRAYS = ['indptr', 'indices', 'pref', 'conf', 'X', 'Y'] as const;

async function alsCase(seed: number): Promise<void> {
  const rng = mulberry32(seed);
  const c = alsBase(rng);
  const a = c.args;
  const rb = a.rowBegin as number;
  const re = a.rowEnd as number;
  const m = int(rng, 0, 21);
  let expected: Expect;
  let finite = true;
  if (m <= 16) ({ expected, finite } = breakCsrCall(rng, c, [rb, re], m, ALS_ARRAYS));
  else {
    switch (m) {
      case 17: { const [v, ex] = pick(rng, BAD_INTS); a[pick(rng, ['rowBegin', 'rowEnd'])] = v; expected = ex; break; }
      case 18: // past the rows, or reversed
        if (rng() < 0.5) { a.rowEnd = c.rows + int(rng, 1, 2 ** 20); expected = 'range'; }
        else if (re > rb) { a.rowBegin = re; a.rowEnd = rb; expected = 'range'; }
        else expected = 'ok';
        break;
      case 19: { // solver and cgSteps
        const [key, v, ex] = pick(rng, [
          ['solver', 'lu', 'range'], ['solver', 'CG', 'range'], ['solver', 1, 'type'], ['solver', undefined, 'type'],
          ['cgSteps', 0, 'range'], ['cgSteps', 2 ** 21, 'range'], ['cgSteps', 1.5, 'range'], ['cgSteps', '3', 'type'], ['cgSteps', undefined, 'ok'],
        ] as [string, unknown, Expect][]);
        a[key] = v;
        expected = ex;
        break;
      }
      case 20: { // YtY: NaN is rejected, a wrong size too
        const v = (a.YtY as Float32Array).slice();
        if (rng() < 0.5) { v[int(rng, 0, v.length - 1)] = pick(rng, [NaN, Infinity]); a.YtY = v; }
        else a.YtY = new Float32Array(c.k * c.k + pick(rng, [-1, 1]));
        expected = 'range';
        break;
      }
      case 21: // not an options object
        expected = 'type';
        break;
      default: throw new Error(`no mutation ${m}`);
    }
  }
  const label = `als#${seed} m${m} ${a.solver} rows ${c.rows} cols ${c.cols} k ${c.k} [${rb},${re})`;
  const X = a.X;
  const before = X instanceof Float32Array && X.length > 0 ? X.slice() : undefined; // (a detached view cannot be sliced)
  const useAsync = rng() < 0.3;
  const arg: unknown = m === 21 ? pick<unknown>(rng, [undefined, null, 3, 'x', [a], new Float32Array(3)]) : a;
  const ok = await outcome(label, expected, () =>
    useAsync ? alsHalfStepAsync(arg as AlsHalfStepArgs) : alsHalfStep(arg as AlsHalfStepArgs),
  );
  if (!ok || !(X instanceof Float32Array) || !before || a.factors !== c.k) return;
  const k = c.k;
  const lo = (a.rowBegin as number) * k;
  const hi = (a.rowEnd as number) * k;
  // Rows outside the range are never touched.
  for (let i = 0; i < X.length; i++) {
    if ((i < lo || i >= hi) && !Object.is(X[i], before[i])) throw new Error(`${label}: X[${i}] outside the row range changed`);
  }
  if (finite) assertFinite(label, 'X (solved rows)', X.subarray(lo, hi));
}

function lossRef(a: LossArgs, rows: number, cols: number): number {
  const { indptr, indices, pref, conf, X, Y, factors: k, regularization: reg } = a;
  const dot = (u: number, i: number): number => {
    let s = 0;
    for (let f = 0; f < k; f++) s += X[u * k + f] * Y[i * k + f];
    return s;
  };
  let total = 0;
  for (let u = 0; u < rows; u++) {
    let e = indptr[u];
    for (let i = 0; i < cols; i++) {
      const d = dot(u, i);
      if (e < indptr[u + 1] && indices[e] === i) {
        total += conf[e] * (pref[e] - d) ** 2;
        e++;
      } else total += d * d;
    }
  }
  let norms = 0;
  for (const v of X) norms += v * v;
  for (const v of Y) norms += v * v;
  return total + reg * norms;
}

async function lossCase(seed: number): Promise<void> {
  const rng = mulberry32(seed);
  const c = alsBase(rng);
  const { YtY: _g, rowBegin: _b, rowEnd: _e, solver: _s, cgSteps: _c, ...rest } = c.args;
  c.args = rest;
  const m = int(rng, 0, 16);
  const { expected, finite } = breakCsrCall(rng, c, [0, c.rows], m, LOSS_ARRAYS);
  const label = `loss#${seed} m${m} rows ${c.rows} cols ${c.cols} k ${c.k}`;
  let r: { raw: number; normalized: number } | undefined;
  const ok = await outcome(label, expected, () => void (r = implicitLoss(c.args as unknown as LossArgs)));
  if (!ok || !finite || c.args.factors !== c.k || expected === 'either') return;
  const args = c.args as unknown as LossArgs;
  if (!(args.X instanceof Float32Array) || args.X.length !== c.rows * c.k) return;
  assertFinite(label, 'loss', [r!.raw, r!.normalized]);
  assertClose(label, 'raw loss', r!.raw, lossRef(args, c.rows, c.cols), 1e-4);
}

// ---- score + top-k --------------------------------------------------------------------------------

async function topkCase(seed: number): Promise<void> {
  const rng = mulberry32(seed);
  const users = int(rng, 0, 7);
  const items = int(rng, 0, 9);
  const k = int(rng, 1, 8);
  const ub = int(rng, 0, users);
  const ue = int(rng, ub, users);
  const n = int(rng, 0, items + 2);
  const ex = randomCsr(rng, users, items, rng() * 0.5);
  const a: Record<string, unknown> = {
    U: randomFloats(rng, users * k),
    V: randomFloats(rng, items * k),
    factors: k,
    userBegin: ub,
    userEnd: ue,
    n,
    outItems: new Int32Array((ue - ub) * n),
    outScores: new Float32Array((ue - ub) * n),
  };
  if (rng() < 0.6) a.exclude = { indptr: ex.indptr, indices: ex.indices };
  if (rng() < 0.3) a.itemBias = randomFloats(rng, items);
  const m = int(rng, 0, 16);
  let expected: Expect = 'ok';
  let finite = true;
  const arrays = ['U', 'V', 'outItems', 'outScores'];
  const exObj = a.exclude as { indptr: Int32Array; indices: Int32Array } | undefined;
  switch (m) {
    case 0: break;
    case 1: { const name = pick(rng, arrays); a[name] = wrongKind(rng, a[name] as Typed); expected = 'type'; break; }
    case 2: { const name = pick(rng, arrays); a[name] = detachedLike(a[name] as Typed); expected = 'type'; break; }
    case 3: for (const name of arrays) a[name] = sharedCopy(a[name] as Typed); if (exObj) a.exclude = { indptr: sharedCopy(exObj.indptr), indices: sharedCopy(exObj.indices) }; break;
    case 4: for (const name of arrays) a[name] = offsetCopy(a[name] as Typed); break;
    case 5: { // output lengths
      const name = pick(rng, ['outItems', 'outScores']);
      const len = (ue - ub) * n + pick(rng, [-1, 1, n || 1]);
      if (len < 0) break;
      a[name] = name === 'outItems' ? new Int32Array(len) : new Float32Array(len);
      expected = 'range';
      break;
    }
    case 6: { const [v, ex2] = pick(rng, [...BAD_INTS, [0, 'range'], [4097, 'range']] as [unknown, Expect][]); a.factors = v; expected = ex2; break; }
    case 7: { const [v, ex2] = pick(rng, BAD_INTS); a[pick(rng, ['userBegin', 'userEnd', 'n'])] = v; expected = ex2; break; }
    case 8: // huge n: the product (users·n) must be rejected by length, never allocated
      a.n = pick(rng, [2 ** 31 - 1, 2 ** 30]);
      expected = ue > ub ? 'range' : 'ok';
      break;
    case 9: // a reversed or past-the-end user range
      if (rng() < 0.5) { a.userEnd = users + int(rng, 1, 1000); expected = 'range'; }
      else if (ue > ub) { a.userBegin = ue; a.userEnd = ub; expected = 'range'; }
      break;
    case 10: { // exclude structure
      const ip = ex.indptr.slice();
      const ix = ex.indices.slice();
      const how = int(rng, 0, 4);
      const [e0, e1] = entryRange(ip, ub, ue);
      if (how === 0) { a.exclude = { indptr: ip.subarray(0, Math.max(0, ip.length - 1)), indices: ix }; expected = 'range'; }
      else if (how === 1 && e1 > e0) { ix[int(rng, e0, e1 - 1)] = pick(rng, [items, -1, 2 ** 31 - 1]); a.exclude = { indptr: ip, indices: ix }; expected = 'range'; }
      else if (how === 2) {
        // Unsorted excluded items in a scored row are an error; duplicates are allowed.
        let row = -1;
        for (let r = ub; r < ue; r++) if (ip[r + 1] - ip[r] >= 2) row = r;
        if (row >= 0) {
          const p = ip[row];
          const swap = rng() < 0.5;
          if (swap) [ix[p], ix[p + 1]] = [ix[p + 1], ix[p]];
          else ix[p + 1] = ix[p];
          expected = swap ? 'range' : 'ok';
        }
        a.exclude = { indptr: ip, indices: ix };
      } else if (how === 3) { a.exclude = pick(rng, [new Int32Array(3), 5, 'x', { indptr: ip }, { indices: ix }]); expected = 'type'; }
      else { ip[ip.length - 1] += 1; a.exclude = { indptr: ip, indices: ix }; expected = 'range'; }
      break;
    }
    case 11: { // itemBias
      const b = randomFloats(rng, items);
      if (rng() < 0.5 && items > 0) { b[int(rng, 0, items - 1)] = pick(rng, [NaN, Infinity, -Infinity]); a.itemBias = b; expected = 'range'; }
      else { a.itemBias = rng() < 0.5 ? new Float32Array(items + 1) : wrongKind(rng, b); expected = a.itemBias === undefined || a.itemBias === null ? 'ok' : a.itemBias instanceof Float32Array ? 'range' : 'type'; }
      break;
    }
    case 12: { // NaN/Inf factors: allowed; NaN scores are never returned
      const name = pick(rng, ['U', 'V']);
      const v = (a[name] as Float32Array).slice();
      if (v.length > 0) v[int(rng, 0, v.length - 1)] = pick(rng, [NaN, Infinity, -Infinity]);
      a[name] = v;
      finite = false;
      break;
    }
    case 13: { // U or V length not a multiple of k
      if (k === 1) break;
      const name = pick(rng, ['U', 'V']);
      a[name] = randomFloats(rng, (a[name] as Float32Array).length + 1);
      expected = 'range';
      break;
    }
    case 14: a.factors = 4096; expected = users * k % 4096 === 0 && items * k % 4096 === 0 && (ue - ub) * n === 0 ? 'ok' : 'range'; break;
    case 15: expected = 'type'; break;
    case 16: { // prepared items: made from this call's V (shared), from other memory, or not PreparedItems at all
      const V = sharedCopy(a.V as Float32Array);
      a.V = V;
      const bias = a.itemBias === undefined ? undefined : sharedCopy(a.itemBias as Float32Array);
      if (bias) a.itemBias = bias;
      const how = V.length === 0 ? 0 : int(rng, 0, 2);
      if (how === 0) a.prepared = prepareItems({ V, factors: k, itemBias: bias });
      else if (how === 1) { a.prepared = prepareItems({ V: sharedCopy(V), factors: k, itemBias: bias }); expected = 'range'; }
      else { a.prepared = pick<unknown>(rng, [{}, V, { items, factors: k, usable: true, bytes: 0 }]); expected = 'type'; }
      break;
    }
  }
  const label = `topk#${seed} m${m} users ${users} items ${items} k ${k} [${ub},${ue}) n ${n}`;
  const useAsync = rng() < 0.3;
  const arg: unknown = m === 15 ? pick<unknown>(rng, [undefined, null, 1, [a]]) : a;
  const ok = await outcome(label, expected, () => (useAsync ? scoreTopKAsync(arg as ScoreTopKArgs) : scoreTopK(arg as ScoreTopKArgs)));
  if (!ok || a.factors !== k || a.n !== n || a.userBegin !== ub || a.userEnd !== ue) return;
  checkTopK(label, a, users, items, k, finite);
}

function checkTopK(label: string, a: Record<string, unknown>, users: number, items: number, k: number, finite: boolean): void {
  const U = a.U as Float32Array;
  const V = a.V as Float32Array;
  const n = a.n as number;
  const ub = a.userBegin as number;
  const outItems = a.outItems as Int32Array;
  const outScores = a.outScores as Float32Array;
  const exclude = a.exclude as { indptr: Int32Array; indices: Int32Array } | undefined;
  const bias = a.itemBias as Float32Array | undefined;
  for (let s = 0; s < outScores.length; s++) if (Number.isNaN(outScores[s])) throw new Error(`${label}: NaN score at ${s}`);
  for (let r = 0; r < (a.userEnd as number) - ub; r++) {
    const u = ub + r;
    const excluded = new Set<number>();
    if (exclude) for (let e = exclude.indptr[u]; e < exclude.indptr[u + 1]; e++) excluded.add(exclude.indices[e]);
    const scored: [number, number][] = [];
    for (let i = 0; i < items; i++) {
      if (excluded.has(i)) continue;
      let s = bias ? bias[i] : 0;
      let d = 0;
      for (let f = 0; f < k; f++) d += U[u * k + f] * V[i * k + f];
      s += d;
      if (!Number.isNaN(s) && s !== -Infinity) scored.push([s, i]);
    }
    scored.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    const want = Math.min(n, scored.length);
    const seen = new Set<number>();
    for (let j = 0; j < n; j++) {
      const item = outItems[r * n + j];
      const score = outScores[r * n + j];
      if (j >= want) {
        if (item !== -1 || score !== -Infinity) throw new Error(`${label}: user ${u} slot ${j} should be padding, got ${item}/${score}`);
        continue;
      }
      if (!(item >= 0 && item < items) || excluded.has(item) || seen.has(item)) throw new Error(`${label}: user ${u} slot ${j} item ${item} invalid`);
      seen.add(item);
      if (j > 0 && score > outScores[r * n + j - 1]) throw new Error(`${label}: user ${u} scores not descending`);
      if (finite) assertClose(label, `user ${u} slot ${j} score`, score, scored[j][0], 1e-5);
    }
  }
}

// ---- SPD solve --------------------------------------------------------------------------------

async function spdCase(seed: number): Promise<void> {
  const rng = mulberry32(seed);
  const dim = int(rng, 0, 7);
  const nrhs = int(rng, 0, 4);
  // A = MᵀM + I is symmetric positive definite.
  const M = randomFloats(rng, dim * dim);
  let A: unknown = new Float32Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) {
    let s = i === j ? 1 : 0;
    for (let t = 0; t < dim; t++) s += M[t * dim + i] * M[t * dim + j];
    (A as Float32Array)[i * dim + j] = s;
  }
  let B: unknown = randomFloats(rng, dim * nrhs);
  const args: unknown[] = [A, B, dim, nrhs, pick(rng, [0, 0.1, 1])];
  let expected: Expect = 'ok';
  const m = int(rng, 0, 10);
  switch (m) {
    case 0: break;
    case 1: args[int(rng, 0, 1)] = wrongKind(rng, args[0] as Float32Array); expected = 'type'; break;
    case 2: args[int(rng, 0, 1)] = detachedLike(args[0] as Float32Array); expected = 'type'; break;
    case 3: args[0] = sharedCopy(A as Float32Array); args[1] = offsetCopy(B as Float32Array); break;
    case 4: { const [v, ex] = pick(rng, BAD_INTS); args[int(rng, 2, 3)] = v; expected = ex; break; }
    case 5: { // huge dims: dim·dim and dim·nrhs must be rejected by length, never allocated
      if (dim === 0 || rng() < 0.5) args[2] = pick(rng, [1 << 16, 1 << 17, 2 ** 31]);
      else args[3] = pick(rng, [2 ** 31 - 1, 2 ** 31]);
      expected = 'range';
      break;
    }
    case 6: { // NaN/Inf in A or B
      const which = int(rng, 0, 1);
      const v = (args[which] as Float32Array).slice();
      if (v.length === 0) break;
      v[int(rng, 0, v.length - 1)] = pick(rng, [NaN, Infinity, -Infinity]);
      args[which] = v;
      expected = 'range';
      break;
    }
    case 7: { // not positive definite
      if (dim === 0) break;
      const v = new Float32Array(dim * dim);
      v[0] = -1;
      A = v;
      args[0] = v;
      args[4] = 0;
      expected = 'range';
      break;
    }
    case 8: { const [v, ex] = pick(rng, [[-1, 'range'], [NaN, 'range'], [Infinity, 'range'], ['1', 'type'], [undefined, 'type']] as [unknown, Expect][]); args[4] = v; expected = ex; break; }
    case 9: args[1] = randomFloats(rng, dim * nrhs + 1); expected = 'range'; break;
    case 10: args.length = int(rng, 0, 4); expected = 'type'; break; // missing arguments
  }
  const label = `solveSpd#${seed} m${m} dim ${dim} nrhs ${nrhs}`;
  let X: Float32Array | undefined;
  const ok = await outcome(label, expected, () => void (X = (solveSpd as (...x: unknown[]) => Float32Array)(...args)));
  if (!ok || m !== 0) return;
  assertFinite(label, 'X', X!);
  // (A + ridge·I) X ≈ B
  const ridge = args[4] as number;
  const Af = A as Float32Array;
  const Bf = B as Float32Array;
  for (let i = 0; i < dim; i++) for (let r = 0; r < nrhs; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (Af[i * dim + j] + (i === j ? ridge : 0)) * X![j * nrhs + r];
    assertClose(label, `residual row ${i} rhs ${r}`, s, Bf[i * nrhs + r], 1e-3);
  }
}

// ---- rowDots -----------------------------------------------------------------------------------

async function rowDotsCase(seed: number): Promise<void> {
  const rng = mulberry32(seed);
  const dim = int(rng, 1, 70);
  const nRows = int(rng, 1, 12);
  const count = int(rng, 0, 9);
  const V = randomFloats(rng, nRows * dim);
  const rows = Int32Array.from({ length: count + int(rng, 0, 2) }, () => int(rng, 0, nRows - 1));
  const at = int(rng, 0, 3);
  const out = new Float64Array(at + count + int(rng, 0, 2));
  // Half the cases give the vector itself (dotsWithVector), half a row of V (rowDots).
  const vector = rng() < 0.5;
  const y = randomFloats(rng, dim);
  const args: unknown[] = [V, dim, rows, count, vector ? y : int(rng, 0, nRows - 1), out, at];
  let expected: Expect = 'ok';
  const m = int(rng, 0, vector ? 10 : 9);
  switch (m) {
    case 0: break;
    case 1: { const i = pick(rng, [0, 2, 5]); args[i] = i === 5 ? pick(rng, [new Float32Array(out.length), Array.from(out), null]) : wrongKind(rng, args[i] as Typed); expected = 'type'; break; }
    case 2: { const i = pick(rng, [0, 2]); args[i] = detachedLike(args[i] as Typed); expected = 'type'; break; }
    case 3: args[0] = sharedCopy(V); args[2] = offsetCopy(rows); break;
    case 4: { // a bad number (at = undefined is its default, 0; a vector's place is case 10's)
      const [v, ex] = pick(rng, BAD_INTS);
      args[pick(rng, [1, 3, ...(vector ? [] : [4]), ...(v === undefined ? [] : [6])])] = v;
      expected = ex;
      break;
    }
    case 5: { // a row index outside V, in the list or as the row
      if (count > 0 && (vector || rng() < 0.5)) rows[int(rng, 0, count - 1)] = pick(rng, [-1, nRows, 2 ** 31 - 1, -(2 ** 31)]);
      else if (vector) break;
      else args[4] = pick(rng, [nRows, nRows + 7, 2 ** 31 - 1]);
      expected = 'range';
      break;
    }
    case 6: args[3] = rows.length + int(rng, 1, 3); expected = 'range'; break; // more than the list holds
    case 7: args[6] = out.length - count + int(rng, 1, 3); expected = 'range'; break; // past the end of out
    case 8: args[0] = randomFloats(rng, nRows * dim + (dim > 1 ? 1 : 0)); expected = dim > 1 ? 'range' : 'ok'; break;
    case 9: args.length = int(rng, 0, 5); expected = 'type'; break; // missing arguments (at defaults to 0)
    case 10: { // a vector of another length or kind
      const [v, ex] = pick(rng, [[randomFloats(rng, dim + 1), 'range'], [Float64Array.from(y), 'type'], [detachedLike(y), 'type'], [2, 'type']] as [unknown, Expect][]);
      args[4] = v;
      expected = ex;
      break;
    }
  }
  const entry = vector ? dotsWithVector : rowDots;
  const label = `${vector ? 'dotsWithVector' : 'rowDots'}#${seed} m${m} dim ${dim} rows ${nRows} count ${count}`;
  const before = out.slice();
  const ok = await outcome(label, expected, () => (entry as (...x: unknown[]) => void)(...args));
  if (!ok) {
    for (let i = 0; i < out.length; i++) if (!Object.is(out[i], before[i])) throw new Error(`${label}: out[${i}] written by a refused call`);
    return;
  }
  const Vn = args[0] as Float32Array;
  for (let i = 0; i < out.length; i++) {
    const inside = i >= at && i < at + count;
    const want = !inside ? before[i] : dotInFixedOrder(rowOf(Vn, dim, rows[i - at]), vector ? (args[4] as Float32Array) : rowOf(Vn, dim, args[4] as number));
    if (!Object.is(out[i], want)) throw new Error(`${label}: out[${i}] = ${out[i]}, expected ${want}`);
  }
}

// ---- the runs ---------------------------------------------------------------------------------

const RUNS: [string, (seed: number) => Promise<void>, number][] = [
  ['gram / gramAsync', gramCase, 1500],
  ['alsHalfStep / alsHalfStepAsync', alsCase, 4500],
  ['implicitLoss', lossCase, 1500],
  ['scoreTopK / scoreTopKAsync', topkCase, 3000],
  ['solveSpd', spdCase, 1000],
  ['rowDots / dotsWithVector', rowDotsCase, 1000],
];

describe('native entries under random arguments', () => {
  for (const [name, run, cases] of RUNS) {
    it(`${name}: ${cases} seeded cases reject bad input with TypeError/RangeError and compute valid input`, async () => {
      const base = name.length * 100_003;
      for (let s = 0; s < cases; s++) await run(base + s);
    });
  }

  it(`ran at least 10,000 cases`, () => {
    expect(counts.cases).toBeGreaterThanOrEqual(10_000);
    // Every outcome class was exercised.
    expect(counts.ok).toBeGreaterThan(1000);
    expect(counts.type).toBeGreaterThan(500);
    expect(counts.range).toBeGreaterThan(1000);
  });
});
