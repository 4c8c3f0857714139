/**
 * Temporal splits over raw timestamped events (parallel typed arrays), the honest protocol for a
 * weekly playlist: train on the past, score on what each user discovers next. Test sets contain only
 * items new to the user, since heard tracks are never recommended.
 */
import { buildCsr } from '../data/csr.js';
import { Dictionary } from '../data/dictionary.js';
import type { IdDictionary, Interactions } from '../types.js';
import { findInRow, type SparseRows } from './sparse.js';

const DAY_MS = 86_400_000;

interface Common {
  /** Dictionaries for the train matrix (default: the indices as strings). */
  users?: IdDictionary;
  items?: IdDictionary;
  /** An event is a hit candidate only when its weight (summed per user and item) exceeds this (default 0). */
  relevanceThreshold?: number;
}

export interface CutDateOptions extends Common {
  /** The cut, epoch milliseconds: train is everything strictly before it. */
  cut: number;
  /** Length of the test window after the cut, in days (default 7). */
  horizonDays?: number;
  /** Only users with at least one training event get test items (default true). */
  requireTrainHistory?: boolean;
}

export interface LastFractionOptions extends Common {
  /** Share of each user's distinct items held out, the latest by first-interaction time (default 0.2). */
  fraction?: number;
  /** Items each user keeps in train at least (default 1). */
  minTrain?: number;
}

export type TemporalOptions = ({ mode: 'cut' } & CutDateOptions) | ({ mode: 'lastFraction' } & LastFractionOptions);

export interface TemporalSplit {
  /** Training events as a matrix: weight summed per user and item, pref = 1. */
  train: Interactions;
  /** Indices of the input events that form the training period, ascending (re-run signals on these). */
  trainEvents: Int32Array;
  /** Test positives, binary, new to each user. */
  test: SparseRows;
}

/** Either temporal flavour, by opts.mode. */
export function temporalSplit(
  user: Int32Array,
  item: Int32Array,
  weight: Float32Array,
  time: Float64Array,
  nUsers: number,
  nItems: number,
  opts: TemporalOptions,
): TemporalSplit {
  return opts.mode === 'cut'
    ? cutDateSplit(user, item, weight, time, nUsers, nItems, opts)
    : lastFractionSplit(user, item, weight, time, nUsers, nItems, opts);
}

/**
 * Global cut date: train = events before the cut; test = items a user first interacts with in
 * [cut, cut + horizon) with relevant weight and had not heard at all before the cut.
 */
export function cutDateSplit(
  user: Int32Array,
  item: Int32Array,
  weight: Float32Array,
  time: Float64Array,
  nUsers: number,
  nItems: number,
  opts: CutDateOptions,
): TemporalSplit {
  checkEvents('cutDateSplit', user, item, weight, time, nUsers, nItems);
  const cut = opts.cut;
  if (!Number.isFinite(cut)) throw new RangeError(`cutDateSplit: opts.cut must be a finite epoch-ms number, got ${cut}`);
  const horizonDays = opts.horizonDays ?? 7;
  if (!(horizonDays > 0)) throw new RangeError(`cutDateSplit: opts.horizonDays must be > 0, got ${horizonDays}`);
  const end = cut + horizonDays * DAY_MS;
  const requireHistory = opts.requireTrainHistory ?? true;
  const n = user.length;

  let nTrain = 0;
  let nWindow = 0;
  for (let e = 0; e < n; e++) {
    if (time[e] < cut) nTrain++;
    else if (time[e] < end) nWindow++;
  }
  const trainEvents = new Int32Array(nTrain);
  const windowEvents = new Int32Array(nWindow);
  nTrain = 0;
  nWindow = 0;
  for (let e = 0; e < n; e++) {
    if (time[e] < cut) trainEvents[nTrain++] = e;
    else if (time[e] < end) windowEvents[nWindow++] = e;
  }
  const train = trainMatrix(user, item, weight, trainEvents, nUsers, nItems, opts);

  // Sum window weights per (user, item) first, so relevance is judged on the whole week.
  const wu = new Int32Array(nWindow);
  const wi = new Int32Array(nWindow);
  const ww = new Float32Array(nWindow);
  for (let q = 0; q < nWindow; q++) {
    const e = windowEvents[q];
    wu[q] = user[e];
    wi[q] = item[e];
    ww[q] = weight[e];
  }
  const week = buildCsr(nUsers, nItems, wu, wi, [ww]);
  const threshold = opts.relevanceThreshold ?? 0;
  const keep = new Uint8Array(week.indices.length);
  for (let u = 0; u < nUsers; u++) {
    const tb = train.indptr[u];
    const te = train.indptr[u + 1];
    if (requireHistory && tb === te) continue;
    for (let p = week.indptr[u]; p < week.indptr[u + 1]; p++) {
      if (week.values[0][p] > threshold && findInRow(train, u, week.indices[p]) < 0) keep[p] = 1;
    }
  }
  return { train, trainEvents, test: compact(week.indptr, week.indices, keep, nUsers, nItems) };
}

/**
 * Per user, hold out the latest fraction of their distinct items, ordered by each item's first
 * interaction time (ties by item index). All events of a held-out item leave training.
 */
export function lastFractionSplit(
  user: Int32Array,
  item: Int32Array,
  weight: Float32Array,
  time: Float64Array,
  nUsers: number,
  nItems: number,
  opts: LastFractionOptions = {},
): TemporalSplit {
  checkEvents('lastFractionSplit', user, item, weight, time, nUsers, nItems);
  const fraction = opts.fraction ?? 0.2;
  const minTrain = opts.minTrain ?? 1;
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`lastFractionSplit: fraction must be in [0, 1], got ${fraction}`);
  const n = user.length;
  // Pairs (user, item) with first time and summed weight: buildCsr merges duplicates by summing,
  // so first time is found separately with a min pass over the events.
  const evIdx = new Int32Array(n);
  for (let e = 0; e < n; e++) evIdx[e] = e;
  const pairs = buildCsr(nUsers, nItems, user, item, [weight]);
  const nPairs = pairs.indices.length;
  const firstTime = new Float64Array(nPairs).fill(Infinity);
  for (let e = 0; e < n; e++) {
    const p = findInRow(pairs, user[e], item[e]);
    if (time[e] < firstTime[p]) firstTime[p] = time[e];
  }
  const held = new Uint8Array(nPairs);
  const order = new Int32Array(nPairs);
  for (let p = 0; p < nPairs; p++) order[p] = p;
  for (let u = 0; u < nUsers; u++) {
    const b = pairs.indptr[u];
    const m = pairs.indptr[u + 1] - b;
    const h = Math.min(Math.round(fraction * m), m - minTrain);
    if (h <= 0) continue;
    // Within a row the entries are item-ascending, so a stable sort by time breaks ties by item.
    const row = order.subarray(b, b + m).sort((x, y) => firstTime[x] - firstTime[y] || x - y);
    for (let j = m - h; j < m; j++) held[row[j]] = 1;
  }
  let nTrain = 0;
  for (let e = 0; e < n; e++) if (held[findInRow(pairs, user[e], item[e])] === 0) evIdx[nTrain++] = e;
  const trainEvents = evIdx.slice(0, nTrain);
  const threshold = opts.relevanceThreshold ?? 0;
  const keep = new Uint8Array(nPairs);
  for (let p = 0; p < nPairs; p++) if (held[p] === 1 && pairs.values[0][p] > threshold) keep[p] = 1;
  return {
    train: trainMatrix(user, item, weight, trainEvents, nUsers, nItems, opts),
    trainEvents,
    test: compact(pairs.indptr, pairs.indices, keep, nUsers, nItems),
  };
}

function trainMatrix(
  user: Int32Array,
  item: Int32Array,
  weight: Float32Array,
  events: Int32Array,
  nUsers: number,
  nItems: number,
  opts: Common,
): Interactions {
  const tu = new Int32Array(events.length);
  const ti = new Int32Array(events.length);
  const tw = new Float32Array(events.length);
  for (let q = 0; q < events.length; q++) {
    const e = events[q];
    tu[q] = user[e];
    ti[q] = item[e];
    tw[q] = weight[e];
  }
  const m = buildCsr(nUsers, nItems, tu, ti, [tw]);
  const users = opts.users ?? indexDictionary(nUsers);
  const items = opts.items ?? indexDictionary(nItems);
  if (users.size !== nUsers) throw new RangeError(`temporal split: opts.users has ${users.size} ids, expected nUsers = ${nUsers}`);
  if (items.size !== nItems) throw new RangeError(`temporal split: opts.items has ${items.size} ids, expected nItems = ${nItems}`);
  return { users, items, indptr: m.indptr, indices: m.indices, pref: new Float32Array(m.indices.length).fill(1), weight: m.values[0] };
}

function indexDictionary(n: number): Dictionary {
  const d = new Dictionary();
  for (let i = 0; i < n; i++) d.intern(String(i));
  return d;
}

function compact(indptr: Int32Array, indices: Int32Array, keep: Uint8Array, rows: number, cols: number): SparseRows {
  let nnz = 0;
  for (let p = 0; p < keep.length; p++) nnz += keep[p];
  const outPtr = new Int32Array(rows + 1);
  const out = new Int32Array(nnz);
  let w = 0;
  for (let u = 0; u < rows; u++) {
    for (let p = indptr[u]; p < indptr[u + 1]; p++) if (keep[p] === 1) out[w++] = indices[p];
    outPtr[u + 1] = w;
  }
  return { rows, cols, indptr: outPtr, indices: out };
}

function checkEvents(
  fn: string,
  user: Int32Array,
  item: Int32Array,
  weight: Float32Array,
  time: Float64Array,
  nUsers: number,
  nItems: number,
): void {
  const n = user.length;
  if (item.length !== n || weight.length !== n || time.length !== n) {
    throw new RangeError(`${fn}: user/item/weight/time lengths differ (${n}, ${item.length}, ${weight.length}, ${time.length})`);
  }
  if (!(Number.isInteger(nUsers) && nUsers >= 0)) throw new RangeError(`${fn}: nUsers must be a non-negative integer, got ${nUsers}`);
  if (!(Number.isInteger(nItems) && nItems >= 0)) throw new RangeError(`${fn}: nItems must be a non-negative integer, got ${nItems}`);
  for (let e = 0; e < n; e++) {
    if (!(user[e] >= 0 && user[e] < nUsers)) throw new RangeError(`${fn}: user ${user[e]} at event ${e} out of range [0, ${nUsers})`);
    if (!(item[e] >= 0 && item[e] < nItems)) throw new RangeError(`${fn}: item ${item[e]} at event ${e} out of range [0, ${nItems})`);
    if (!Number.isFinite(time[e])) throw new RangeError(`${fn}: time at event ${e} is not finite (${time[e]})`);
    if (Number.isNaN(weight[e])) throw new RangeError(`${fn}: weight at event ${e} is NaN`);
  }
}
