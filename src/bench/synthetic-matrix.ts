/**
 * The seeded synthetic benchmark matrix: users × items counts with Zipf-like item popularity and
 * counts 1–50, the shape other ALS libraries are timed on (`--dump` writes it as CSV).
 */
import { buildCsr } from '../data/csr.js';
import { Dictionary } from '../data/dictionary.js';
import type { Interactions } from '../types.js';
import { fillRandom } from '../train/init.js';

export interface SyntheticMatrixOptions {
  users: number;
  items: number;
  /** Target nonzeros before duplicate merging. */
  nnz: number;
  seed?: number;
  /** Zipf exponent of item popularity (default 1). */
  exponent?: number;
}

export function syntheticMatrix(o: SyntheticMatrixOptions): Interactions {
  const seed = o.seed ?? 1;
  const exponent = o.exponent ?? 1;
  // Cumulative Zipf weights over a seeded permutation of items (popular ids are not all low).
  const cdf = new Float64Array(o.items);
  let acc = 0;
  for (let r = 0; r < o.items; r++) {
    acc += 1 / Math.pow(r + 1, exponent);
    cdf[r] = acc;
  }
  const perm = permutation(o.items, seed + 7);
  // Per-user activity: log-normal-ish lengths scaled to the target nnz.
  const uniform = fillRandom(new Float32Array(o.nnz * 2 + o.users * 2), seed, 1);
  let cursor = 0;
  const next = (): number => uniform[cursor++ % uniform.length];
  const lengths = new Float64Array(o.users);
  let totalLen = 0;
  for (let u = 0; u < o.users; u++) {
    const z = Math.sqrt(-2 * Math.log(Math.max(1e-12, next()))) * Math.cos(2 * Math.PI * next());
    lengths[u] = Math.exp(0.8 * z);
    totalLen += lengths[u];
  }
  const rowIdx = new Int32Array(o.nnz);
  const colIdx = new Int32Array(o.nnz);
  const weight = new Float32Array(o.nnz);
  let e = 0;
  for (let u = 0; u < o.users && e < o.nnz; u++) {
    const len = u === o.users - 1 ? o.nnz - e : Math.max(1, Math.round((lengths[u] / totalLen) * o.nnz));
    for (let j = 0; j < len && e < o.nnz; j++, e++) {
      const x = next() * acc;
      let lo = 0;
      let hi = o.items - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      rowIdx[e] = u;
      colIdx[e] = perm[lo];
      weight[e] = 1 + Math.floor(next() * 50);
    }
  }
  const csr = buildCsr(o.users, o.items, rowIdx.subarray(0, e), colIdx.subarray(0, e), [weight.subarray(0, e)]);
  // Duplicate draws were summed; clamp back into the 1–50 count range.
  const w = csr.values[0];
  for (let i = 0; i < w.length; i++) if (w[i] > 50) w[i] = 50;
  const pref = new Float32Array(csr.indices.length).fill(1);
  return {
    users: Dictionary.from(Array.from({ length: o.users }, (_, i) => `u${i}`)),
    items: Dictionary.from(Array.from({ length: o.items }, (_, i) => `i${i}`)),
    indptr: csr.indptr,
    indices: csr.indices,
    pref,
    weight: w,
  };
}

function permutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const r = fillRandom(new Float32Array(n), seed, 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r[i] * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
