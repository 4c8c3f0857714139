/**
 * The seeded synthetic benchmark matrix: users × items counts with Zipf-like item popularity and
 * counts 1–50, the shape other ALS libraries are timed on (`--dump` writes it as CSV). Each user's
 * items are distinct, so the matrix has exactly the requested number of nonzeros. Rows are written
 * straight into CSR arrays (no coordinate copy), so generating the benchmark matrix costs little
 * more memory than the matrix itself. The arrays live in SharedArrayBuffers, so the trainer
 * hands them to its workers without copying.
 */
import { Dictionary } from '../data/dictionary.js';
import type { Interactions } from '../types.js';
import { mulberry32 } from '../util/random.js';
import { sharedArray } from '../util/shared-memory.js';
import { lowerBound } from '../util/lower-bound.js';

/**
 * The training recipe the benchmark matrix is timed with (the README's "λ 0.01, linear confidence
 * α 1"), pinned here so the timed workload does not follow the engine's defaults.
 */
export const SYNTHETIC_RECIPE = { regularization: 0.01, alpha: 1, confidence: 'linear', epsilon: 1 } as const;

export interface SyntheticMatrixOptions {
  users: number;
  items: number;
  /** Nonzeros (exact, as long as it is at most users × items / 2). */
  nnz: number;
  seed?: number;
  /** Zipf exponent of item popularity (default 1). */
  exponent?: number;
}

export function syntheticMatrix(o: SyntheticMatrixOptions): Interactions {
  for (const [name, v] of [['users', o.users], ['items', o.items], ['nnz', o.nnz]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`syntheticMatrix: ${name} must be an integer ≥ 0, got ${v}`);
  }
  // A row may hold at most half the items, so drawing distinct items by rejection stays cheap.
  const cap = Math.max(1, Math.floor(o.items / 2));
  if (o.nnz > o.users * cap) throw new RangeError(`syntheticMatrix: nnz=${o.nnz} exceeds users × items/2 = ${o.users * cap}`);
  const seed = o.seed ?? 1;
  const exponent = o.exponent ?? 1;
  const next = mulberry32(seed >>> 0);
  // Cumulative Zipf weights over a seeded permutation of items (popular ids are not all low).
  const cdf = new Float64Array(o.items);
  let acc = 0;
  for (let r = 0; r < o.items; r++) {
    acc += 1 / Math.pow(r + 1, exponent);
    cdf[r] = acc;
  }
  const perm = permutation(o.items, next);
  const lengths = rowLengths(o.users, o.nnz, cap, next);

  const indptr = sharedArray(Int32Array, o.users + 1);
  const indices = sharedArray(Int32Array, o.nnz);
  const weight = sharedArray(Float32Array, o.nnz);
  const stamp = new Int32Array(o.items).fill(-1);
  let e = 0;
  for (let u = 0; u < o.users; u++) {
    const start = e;
    for (let j = 0; j < lengths[u]; ) {
      const x = next() * acc;
      const item = perm[lowerBound(cdf, x, 0, o.items - 1)];
      if (stamp[item] === u) continue; // already in this row: draw again
      stamp[item] = u;
      indices[e++] = item;
      j++;
    }
    indices.subarray(start, e).sort();
    for (let p = start; p < e; p++) weight[p] = 1 + Math.floor(next() * 50);
    indptr[u + 1] = e;
  }
  return {
    users: Dictionary.from(Array.from({ length: o.users }, (_, i) => `u${i}`)),
    items: Dictionary.from(Array.from({ length: o.items }, (_, i) => `i${i}`)),
    indptr,
    indices,
    pref: sharedArray(Float32Array, o.nnz).fill(1),
    weight,
  };
}

/** Log-normal user activity scaled to exactly `nnz` entries, each row in [1, cap] (0 if nnz < users). */
function rowLengths(users: number, nnz: number, cap: number, next: () => number): Int32Array {
  const raw = new Float64Array(users);
  let total = 0;
  for (let u = 0; u < users; u++) {
    const z = Math.sqrt(-2 * Math.log(Math.max(1e-12, next()))) * Math.cos(2 * Math.PI * next());
    raw[u] = Math.exp(0.8 * z);
    total += raw[u];
  }
  const lengths = new Int32Array(users);
  const floor = nnz >= users ? 1 : 0;
  let sum = 0;
  for (let u = 0; u < users; u++) {
    lengths[u] = Math.min(cap, Math.max(floor, Math.round((raw[u] / total) * nnz)));
    sum += lengths[u];
  }
  // Rounding leaves the sum a little off: walk the rows adding or removing one entry at a time.
  for (let u = 0; sum !== nnz; u = (u + 1) % users) {
    if (sum < nnz && lengths[u] < cap) (lengths[u]++, sum++);
    else if (sum > nnz && lengths[u] > floor) (lengths[u]--, sum--);
  }
  return lengths;
}

function permutation(n: number, next: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
