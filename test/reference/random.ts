/** Random test inputs built from the shared seeded PRNG (mulberry32). */
import { mulberry32 as shared } from '../../src/util/random.js';

export type Rng = () => number;

/** Uniform [0, 1) from a 32-bit seed; the same seed gives the same sequence everywhere. */
export const mulberry32 = (seed: number): Rng => shared(seed >>> 0);

/** Float32Array of `length` values uniform in [lo, hi). */
export function randomFloats(rng: Rng, length: number, lo = -0.5, hi = 0.5): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = lo + (hi - lo) * rng();
  return out;
}

/** Small integers in [lo, hi]: dot products of these are exact in float32, so ties are real ties. */
export function randomInts(rng: Rng, length: number, lo: number, hi: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = lo + Math.floor(rng() * (hi - lo + 1));
  return out;
}

export interface RandomCsr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  pref: Float32Array;
  conf: Float32Array;
}

/**
 * A rows×cols CSR with about `density` of the entries set, sorted column indices, preference 1
 * (0 with probability `negatives`) and confidence 1 + alpha·U[0,1). Rows listed in `emptyRows`
 * stay empty.
 */
export function randomCsr(
  rng: Rng,
  rows: number,
  cols: number,
  density: number,
  opts: { alpha?: number; negatives?: number; emptyRows?: number[] } = {},
): RandomCsr {
  const alpha = opts.alpha ?? 4;
  const negatives = opts.negatives ?? 0.1;
  const empty = new Set(opts.emptyRows ?? []);
  const indptr = new Int32Array(rows + 1);
  const idx: number[] = [];
  const pref: number[] = [];
  const conf: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (!empty.has(r)) {
      for (let c = 0; c < cols; c++) {
        if (rng() < density) {
          idx.push(c);
          pref.push(rng() < negatives ? 0 : 1);
          conf.push(1 + alpha * rng());
        }
      }
    }
    indptr[r + 1] = idx.length;
  }
  return {
    rows,
    cols,
    indptr,
    indices: Int32Array.from(idx),
    pref: Float32Array.from(pref),
    conf: Float32Array.from(conf),
  };
}

/**
 * A rows×cols CSR with `perRow` distinct columns in every row, drawn with a long-tailed popularity
 * (column ∝ U³, as listening is), for log-sized shapes where `randomCsr`'s rows×cols draws are too
 * slow. Preference and confidence as in `randomCsr` (alpha 4, 10% negatives).
 */
export function randomCsrPerRow(rng: Rng, rows: number, cols: number, perRow: number): RandomCsr {
  if (perRow > cols) throw new RangeError(`perRow ${perRow} exceeds cols ${cols}`);
  const nnz = rows * perRow;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const pref = new Float32Array(nnz);
  const conf = new Float32Array(nnz);
  for (let r = 0, e = 0; r < rows; r++) {
    const row = indices.subarray(e, e + perRow);
    for (let j = 0; j < perRow; ) {
      const c = Math.floor(rng() ** 3 * cols);
      if (!row.subarray(0, j).includes(c)) row[j++] = c;
    }
    row.sort();
    for (let j = 0; j < perRow; j++, e++) {
      pref[e] = rng() < 0.1 ? 0 : 1;
      conf[e] = 1 + 4 * rng();
    }
    indptr[r + 1] = e;
  }
  return { rows, cols, indptr, indices, pref, conf };
}

/**
 * Exclusion lists for top-k: a random CSR of about `density` of the items per user, except that
 * the users in `fullUsers` exclude every item.
 */
export function randomExclusions(rng: Rng, users: number, items: number, density: number, fullUsers: number[] = []): { indptr: Int32Array; indices: Int32Array } {
  const csr = randomCsr(rng, users, items, density);
  if (fullUsers.length === 0) return { indptr: csr.indptr, indices: csr.indices };
  const indptr = new Int32Array(users + 1);
  const idx: number[] = [];
  for (let u = 0; u < users; u++) {
    if (fullUsers.includes(u)) for (let i = 0; i < items; i++) idx.push(i);
    else for (let e = csr.indptr[u]; e < csr.indptr[u + 1]; e++) idx.push(csr.indices[e]);
    indptr[u + 1] = idx.length;
  }
  return { indptr, indices: Int32Array.from(idx) };
}

/** User and item factors (rows × k) and exclusion lists for a top-k test. */
export interface TopKProblem {
  U: Float32Array;
  V: Float32Array;
  exclude: { indptr: Int32Array; indices: Int32Array };
}

/**
 * A random top-k problem: factors in [−0.5, 0.5), or with `ints: m` integers in [−m, m] (exact
 * float32 products, so ties are real ties), and exclusions of `density` (see randomExclusions).
 */
export function randomTopKProblem(
  rng: Rng,
  shape: { users: number; items: number; k: number },
  opts: { ints?: number; density: number; fullUsers?: number[] },
): TopKProblem {
  const draw = (n: number) => (opts.ints === undefined ? randomFloats(rng, n) : randomInts(rng, n, -opts.ints, opts.ints));
  const U = draw(shape.users * shape.k);
  const V = draw(shape.items * shape.k);
  return { U, V, exclude: randomExclusions(rng, shape.users, shape.items, opts.density, opts.fullUsers) };
}

/** n keys in [0, buckets), skewed towards 0 by `skew` (1: uniform). */
export function randomKeys(rng: Rng, n: number, buckets: number, skew = 1): Int32Array {
  return Int32Array.from({ length: n }, () => Math.floor(rng() ** skew * buckets));
}
