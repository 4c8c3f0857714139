/**
 * The three evaluation protocols of a run, built from RunData, and the validation split that
 * tuning carves out of a protocol's training part (so tuning never sees the test split):
 * - random:   per-user seeded 20% hold-out of positives (weak generalisation);
 * - temporal: events — train before a cut, test on the tracks each user first heard (positively)
 *             in the following week; counts with times — each user's latest 20% of items;
 * - users:    strong generalisation — 20% of users are unseen in training, folded in from 80% of
 *             their positives and evaluated on the rest.
 * Every protocol also says which events may feed the recent-popularity baseline (training period
 * only) or why that baseline is not available.
 */
import type { SignalsConfigInput } from '../signals/index.js';
import { computeSignalsAsync } from '../signals/off-thread.js';
import type { Interactions } from '../types.js';
import { nextWeekSplit } from './next-week.js';
import { countsMatrix, type CountsData, type EventsData, type RunData } from './run-data.js';
import { findInRow, type RowSets, type SparseRows } from './sparse.js';
import { randomHoldout, userSplit } from './split.js';
import { lastFractionSplit } from './temporal-split.js';

const DAY_MS = 86_400_000;

export type SplitKind = 'random' | 'temporal' | 'users';

export interface SplitSpec {
  kind: SplitKind;
  /** Seed of random draws (default 42). */
  seed?: number;
  /** Signals overrides for event logs. */
  signals?: SignalsConfigInput;
  /** Temporal split of events: the cut, epoch ms (default: one week before the end of the log). */
  cut?: number;
  /** Share held out: positives (random), latest items (temporal counts), test users (users); default 0.2. */
  fraction?: number;
}

export interface RecentEvents {
  user: Int32Array;
  item: Int32Array;
  time: Float64Array;
  asOf: number;
}

export interface RunSplit {
  kind: SplitKind;
  /** One line for the report. */
  description: string;
  train: Interactions;
  test: SparseRows;
  /** Users to evaluate (default: users with test items). */
  users?: Int32Array;
  /** Items never recommended (default: the training rows). */
  exclude?: RowSets;
  /** Users split: the test users' fold-in histories (other rows empty). */
  foldIn?: Interactions;
  /** Training-period events for recent popularity, or null with the reason. */
  recent: RecentEvents | null;
  recentNote: string;
  /** Temporal split of events: the cut. */
  cut?: number;
  /** Temporal split of counts: rows of the data that form the training period. */
  trainRows?: Int32Array;
}

/** The evaluation split of a run; refused when it leaves no user to test. */
export async function makeSplit(data: RunData, spec: SplitSpec): Promise<RunSplit> {
  return withTestUsers(await splitOf(data, spec), 'the split');
}

async function splitOf(data: RunData, spec: SplitSpec): Promise<RunSplit> {
  const seed = spec.seed ?? 42;
  const fraction = spec.fraction ?? 0.2;
  if (spec.kind === 'temporal') return data.kind === 'events' ? eventsTemporal(data, spec) : countsTemporal(data, fraction);
  const all = data.kind === 'events' ? await signalsMatrix(data, data.asOf, spec.signals) : countsMatrix(data.users, data.items, data.user, data.item, data.weight);
  if (spec.kind === 'random') {
    const s = randomHoldout(all, { fraction, seed });
    return { kind: 'random', description: `random per-user hold-out of ${Math.round(fraction * 100)}% of positives (seed ${seed})`, train: s.train, test: s.test, ...recentOf(data, s.train) };
  }
  const s = userSplit(all, { testUserFraction: fraction, foldInFraction: 0.8, seed });
  return {
    kind: 'users',
    description: `strong generalisation: ${s.testUsers.length} unseen test users (${Math.round(fraction * 100)}%), folded in from 80% of their positives, evaluated on the rest (seed ${seed})`,
    train: s.train,
    test: s.test,
    users: s.testUsers,
    exclude: s.foldIn,
    foldIn: s.foldIn,
    ...recentOf(data, s.train, s.foldIn),
  };
}

/**
 * The validation split for tuning, carved from the training part of `makeSplit(data, spec)` by
 * the same protocol with another seed (temporal: one step earlier in time).
 */
export async function makeValidationSplit(data: RunData, spec: SplitSpec): Promise<RunSplit> {
  return withTestUsers(await validationSplitOf(data, spec), 'the validation split');
}

async function validationSplitOf(data: RunData, spec: SplitSpec): Promise<RunSplit> {
  const outer = await makeSplit(data, spec);
  const seed = (spec.seed ?? 42) + 1;
  const fraction = spec.fraction ?? 0.2;
  if (spec.kind === 'temporal') {
    if (data.kind === 'events') return eventsTemporal(data, { ...spec, cut: outer.cut! - 7 * DAY_MS });
    return countsTemporal(subsetRows(data, outer.trainRows!), fraction);
  }
  if (spec.kind === 'random') {
    const s = randomHoldout(outer.train, { fraction, seed });
    return { kind: 'random', description: `validation: random hold-out of the training part (seed ${seed})`, train: s.train, test: s.test, recent: null, recentNote: 'not used in tuning' };
  }
  const s = userSplit(outer.train, { testUserFraction: fraction, foldInFraction: 0.8, seed });
  return { kind: 'users', description: `validation: unseen users of the training part (seed ${seed})`, train: s.train, test: s.test, users: s.testUsers, exclude: s.foldIn, foldIn: s.foldIn, recent: null, recentNote: 'not used in tuning' };
}

/**
 * Metrics over no user are undefined (every mean would be NaN), so a split that holds out nothing
 * testable is an error that says why, not a table of NaNs.
 */
function withTestUsers(split: RunSplit, what: string): RunSplit {
  const { indptr } = split.test;
  const candidates = split.users ?? null;
  let tested = 0;
  const n = candidates ? candidates.length : split.test.rows;
  for (let r = 0; r < n; r++) {
    const u = candidates ? candidates[r] : r;
    if (indptr[u + 1] > indptr[u]) tested++;
  }
  if (tested > 0) return split;
  throw new RangeError(
    `${what} (${split.description}) left no user with a held-out positive to test ` +
      `(${split.train.users.size} users, ${split.train.indices.length} training entries): the data is too small to evaluate`,
  );
}

/** The log's interactions as of `asOf`: the signals stage off this thread (over the cores for a large log). */
async function signalsMatrix(data: EventsData, asOf: number, signals: SignalsConfigInput | undefined): Promise<Interactions> {
  return (await computeSignalsAsync(data.log, { asOf, config: signals })).interactions;
}

async function eventsTemporal(data: EventsData, spec: SplitSpec): Promise<RunSplit> {
  const cut = spec.cut ?? data.asOf - 7 * DAY_MS;
  // Signals as of just before the cut: the training period only (events at the cut are test).
  const train = await signalsMatrix(data, cut - 1, spec.signals);
  const next = nextWeekSplit(data.log, cut);
  const day = new Date(cut).toISOString().slice(0, 10);
  return {
    kind: 'temporal',
    description: `temporal: train on events before ${day}, test on tracks each user first heard in the following week`,
    train,
    test: next.test,
    users: next.users,
    recent: { user: data.log.user, item: data.log.track, time: data.log.timestamp, asOf: cut },
    recentNote: `distinct listeners in the 28 days before the cut`,
    cut,
  };
}

function countsTemporal(data: CountsData, fraction: number): RunSplit {
  if (!data.time) throw new Error('--split temporal needs timestamps: give --time-col for a counts file (or use --format events)');
  const s = lastFractionSplit(data.user, data.item, data.weight, data.time, data.users.size, data.items.size, { fraction, users: data.users, items: data.items });
  const rows = s.trainEvents;
  let last = -Infinity;
  for (let q = 0; q < rows.length; q++) last = Math.max(last, data.time[rows[q]]);
  const sub = subsetRows(data, rows);
  return {
    kind: 'temporal',
    description: `temporal: each user's latest ${Math.round(fraction * 100)}% of items (by first interaction) held out`,
    train: s.train,
    test: s.test,
    recent: { user: sub.user, item: sub.item, time: sub.time!, asOf: last + 1 },
    recentNote: 'distinct users in the 28 days before the last training interaction',
    trainRows: rows,
  };
}

function subsetRows(d: CountsData, rows: Int32Array): CountsData {
  const out: CountsData = { ...d, user: new Int32Array(rows.length), item: new Int32Array(rows.length), weight: new Float32Array(rows.length) };
  const time = d.time ? new Float64Array(rows.length) : undefined;
  for (let q = 0; q < rows.length; q++) {
    const r = rows[q];
    out.user[q] = d.user[r];
    out.item[q] = d.item[r];
    out.weight[q] = d.weight[r];
    if (time) time[q] = d.time![r];
  }
  if (time) out.time = time;
  return out;
}

/** Recent-popularity events of a random or user split: timed rows whose (user, item) is known at training time. */
function recentOf(data: RunData, train: Interactions, foldIn?: Interactions): Pick<RunSplit, 'recent' | 'recentNote'> {
  const src = data.kind === 'events' ? { user: data.log.user, item: data.log.track, time: data.log.timestamp } : data.time ? { user: data.user, item: data.item, time: data.time } : null;
  if (!src) return { recent: null, recentNote: 'not available: the input has no timestamps (give --time-col)' };
  const n = src.user.length;
  const keep = new Uint8Array(n);
  let count = 0;
  let last = -Infinity;
  for (let e = 0; e < n; e++) {
    if (!(hasPositive(train, src.user[e], src.item[e]) || (foldIn !== undefined && hasPositive(foldIn, src.user[e], src.item[e])))) continue;
    keep[e] = 1;
    count++;
    if (src.time[e] > last) last = src.time[e];
  }
  const user = new Int32Array(count);
  const item = new Int32Array(count);
  const time = new Float64Array(count);
  count = 0;
  for (let e = 0; e < n; e++) {
    if (keep[e] === 0) continue;
    user[count] = src.user[e];
    item[count] = src.item[e];
    time[count++] = src.time[e];
  }
  return { recent: { user, item, time, asOf: last + 1 }, recentNote: 'distinct users in the 28 days before the last training interaction' };
}

function hasPositive(m: Interactions, u: number, i: number): boolean {
  const p = findInRow(m, u, i);
  return p >= 0 && m.pref[p] > 0;
}
