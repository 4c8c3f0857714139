/**
 * Offline evaluation splits of an Interactions matrix. Every split is seeded and deterministic, and
 * each user's draws come from that user's own stream, so one user's outcome never depends on others.
 * Only positive entries (pref > 0) are ever held out; negative evidence always stays in training.
 * Test sets are binary SparseRows of held-out positives with the same users × items shape as train.
 */
import type { Interactions } from '../types.js';
import { checkInteractions, keepEntries, markedRows } from './entries.js';
import { SeededRandom, userRandom } from './random.js';
import type { SparseRows } from './sparse.js';

export { cutDateSplit, lastFractionSplit, temporalSplit } from './temporal-split.js';
export type { CutDateOptions, LastFractionOptions, TemporalOptions, TemporalSplit } from './temporal-split.js';

export interface HoldoutOptions {
  /** Share of each user's positives to hold out (default 0.2), rounded to the nearest count. */
  fraction?: number;
  /** Hold out exactly this many positives per user instead of a fraction. */
  leaveK?: number;
  /** Seed of the draw (default 42). */
  seed?: number;
  /** Positives each user keeps in train at least (default 1); users who cannot keep them hold out nothing. */
  minTrain?: number;
}

export interface HoldoutSplit {
  train: Interactions;
  /** Held-out positives, binary. */
  test: SparseRows;
}

/** Per user, hold out a seeded random fraction (or leaveK) of their positive items. */
export function randomHoldout(inter: Interactions, opts: HoldoutOptions = {}): HoldoutSplit {
  checkInteractions(inter, 'randomHoldout: inter');
  const fraction = opts.fraction ?? 0.2;
  const seed = opts.seed ?? 42;
  const minTrain = opts.minTrain ?? 1;
  if (opts.leaveK !== undefined && !(Number.isInteger(opts.leaveK) && opts.leaveK >= 0)) {
    throw new RangeError(`randomHoldout: leaveK must be a non-negative integer, got ${opts.leaveK}`);
  }
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`randomHoldout: fraction must be in [0, 1], got ${fraction}`);
  if (!(Number.isInteger(minTrain) && minTrain >= 0)) {
    throw new RangeError(`randomHoldout: minTrain must be a non-negative integer, got ${minTrain}`);
  }
  const nnz = inter.indices.length;
  const held = new Uint8Array(nnz);
  const scratch = new Int32Array(maxRowLength(inter));
  for (let u = 0; u < inter.users.size; u++) {
    const n = collectPositives(inter, u, scratch);
    let h = opts.leaveK !== undefined ? (n - opts.leaveK >= minTrain ? opts.leaveK : 0) : Math.round(fraction * n);
    h = Math.min(h, n - minTrain);
    if (h <= 0) continue;
    chooseInPlace(scratch, n, h, userRandom(seed, u));
    for (let j = 0; j < h; j++) held[scratch[j]] = 1;
  }
  return { train: keepEntries(inter, invert(held)), test: markedRows(inter, held) };
}

export interface UserSplitOptions {
  /** Share of eligible users (≥ 2 positives) that become test users (default 0.1). */
  testUserFraction?: number;
  /** Share of a test user's positives given to the model as fold-in history (default 0.8). */
  foldInFraction?: number;
  /** Seed of the draw (default 42). */
  seed?: number;
}

export interface UserSplit {
  /** Interactions of the other users; test users' rows are empty (same shape as the input). */
  train: Interactions;
  /** Test users' fold-in history (their chosen positives plus all their negative entries); other rows empty. */
  foldIn: Interactions;
  /** Test users' evaluation positives, binary. */
  test: SparseRows;
  /** Test users, ascending. */
  testUsers: Int32Array;
}

/**
 * Strong generalisation: test users are unseen in training. Each test user's positives are split
 * into a fold-in part (to infer their taste) and an evaluation part (at least one of each).
 */
export function userSplit(inter: Interactions, opts: UserSplitOptions = {}): UserSplit {
  checkInteractions(inter, 'userSplit: inter');
  const testUserFraction = opts.testUserFraction ?? 0.1;
  const foldInFraction = opts.foldInFraction ?? 0.8;
  const seed = opts.seed ?? 42;
  if (!(testUserFraction >= 0 && testUserFraction <= 1)) {
    throw new RangeError(`userSplit: testUserFraction must be in [0, 1], got ${testUserFraction}`);
  }
  if (!(foldInFraction >= 0 && foldInFraction <= 1)) {
    throw new RangeError(`userSplit: foldInFraction must be in [0, 1], got ${foldInFraction}`);
  }
  const rows = inter.users.size;
  const scratch = new Int32Array(maxRowLength(inter));
  const eligible = new Int32Array(rows);
  let nEligible = 0;
  for (let u = 0; u < rows; u++) if (collectPositives(inter, u, scratch) >= 2) eligible[nEligible++] = u;
  const nTest = Math.round(testUserFraction * nEligible);
  chooseInPlace(eligible, nEligible, nTest, new SeededRandom(seed));
  const testUsers = eligible.slice(0, nTest).sort();

  const nnz = inter.indices.length;
  const inTrain = new Uint8Array(nnz);
  const inFold = new Uint8Array(nnz);
  const inTest = new Uint8Array(nnz);
  const isTestUser = new Uint8Array(rows);
  for (let t = 0; t < nTest; t++) isTestUser[testUsers[t]] = 1;
  for (let u = 0; u < rows; u++) {
    const begin = inter.indptr[u];
    const end = inter.indptr[u + 1];
    if (isTestUser[u] === 0) {
      inTrain.fill(1, begin, end);
      continue;
    }
    // Negative evidence is history, never a target: it always goes to fold-in.
    for (let p = begin; p < end; p++) if (!(inter.pref[p] > 0)) inFold[p] = 1;
    const n = collectPositives(inter, u, scratch);
    const nFold = Math.min(n - 1, Math.max(1, Math.round(foldInFraction * n)));
    chooseInPlace(scratch, n, n - nFold, userRandom(seed, u));
    for (let j = 0; j < n; j++) (j < n - nFold ? inTest : inFold)[scratch[j]] = 1;
  }
  return {
    train: keepEntries(inter, inTrain),
    foldIn: keepEntries(inter, inFold),
    test: markedRows(inter, inTest),
    testUsers,
  };
}

/** Entry positions of user u's positive entries, written to out; returns their count. */
function collectPositives(inter: Interactions, u: number, out: Int32Array): number {
  let n = 0;
  for (let p = inter.indptr[u]; p < inter.indptr[u + 1]; p++) if (inter.pref[p] > 0) out[n++] = p;
  return n;
}

function maxRowLength(inter: Interactions): number {
  let m = 0;
  for (let u = 0; u < inter.users.size; u++) m = Math.max(m, inter.indptr[u + 1] - inter.indptr[u]);
  return m;
}

/** Partial Fisher–Yates: afterwards a[0..h) is a uniform random h-subset of a[0..n). */
export function chooseInPlace(a: Int32Array, n: number, h: number, rng: SeededRandom): void {
  for (let j = 0; j < h; j++) {
    const r = j + rng.nextInt(n - j);
    const t = a[j];
    a[j] = a[r];
    a[r] = t;
  }
}

function invert(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) out[p] = 1 - mask[p];
  return out;
}
