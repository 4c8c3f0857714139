/**
 * The signals stage split over threads by accounts. Only the account statistics (the population's
 * medians that trust is scored against) need every account, so the stage runs in three rounds:
 * each shard judges its accounts' features into shared arrays; each shard scores every account's
 * trust from them (a small step, done by each rather than waited for) and weighs its own events;
 * one task joins the shards' entries in account order. Every shard's arithmetic is the one-thread
 * stage's on the same events in the same order, so the result is the same bit for bit.
 */
import { ACCOUNT_FEATURES, type AccountFeature, type AccountFeatures } from './anomaly.js';
import { checkLog, checkSignalsOptions, partsOf, type SignalsOptions, type SignalsParts } from './index.js';
import { fillDurations, rangeHasDurations } from './durations.js';
import { logOfColumns, type LogColumns } from './log-columns.js';
import type { AccountTracks } from './playbacks.js';
import { judgeRange, weighRange, type PresentEvents, type RangeTotals, type UserRange, type WeighedRange } from './range-steps.js';
import { accountTrust, type TrustResult } from './trust.js';
import type { IndexCsr } from './exclusions.js';
import type { TrackPlayCounts } from './track-flags.js';
import { ArrayPool } from '../util/array-pool.js';
import { sharedArray, type SharedCtor } from '../util/shared-memory.js';

/** Events sampled to place the shards' bounds (the bounds only balance the work). */
const SAMPLE_EVENTS = 1 << 20;

/**
 * Up to `shards` ranges of accounts holding about equal numbers of events (by a strided sample of
 * the log), in order and covering every account; at least one range.
 */
export function accountRanges(user: Int32Array, users: number, shards: number): UserRange[] {
  const n = user.length;
  if (shards <= 1 || users <= 1 || n === 0) return [{ from: 0, to: users }];
  const stride = Math.max(1, Math.ceil(n / SAMPLE_EVENTS));
  const counts = new Int32Array(users);
  let sampled = 0;
  for (let e = 0; e < n; e += stride) {
    counts[user[e]]++;
    sampled++;
  }
  const ranges: UserRange[] = [];
  let from = 0;
  let seen = 0;
  for (let u = 0; u < users && ranges.length < shards - 1; u++) {
    seen += counts[u];
    if (seen * shards >= sampled * (ranges.length + 1)) {
      ranges.push({ from, to: u + 1 });
      from = u + 1;
    }
  }
  ranges.push({ from, to: users });
  return ranges.filter((r) => r.to > r.from || ranges.length === 1);
}

/** Account features in shared memory, written by the shards a range each. */
export function sharedFeatures(users: number): AccountFeatures {
  const values = Object.fromEntries(ACCOUNT_FEATURES.map((f) => [f, sharedArray(Float64Array, users)])) as Record<AccountFeature, Float64Array>;
  return { plays: sharedArray(Int32Array, users), values };
}

/** What every round of a shard is given. */
interface ShardBase {
  log: LogColumns;
  options: Omit<SignalsOptions, 'onProgress' | 'transferLog' | 'threads'>;
  range: UserRange;
  shard: number;
  /**
   * Each event's duration (given or estimated), shared: the judge round writes its accounts' when
   * the log lacks any of them (pages nobody writes take no memory).
   */
  durations: Float32Array;
  features: AccountFeatures;
  /** Steps done per shard, shared (null: nobody follows). */
  progress: Int32Array | null;
  /** The room of the round's scratch arrays: about the shard's events (the ranges balance them). */
  room: number;
}

export interface JudgeTask extends ShardBase {
  op: 'judge';
}

export interface JudgedShard {
  /** The shard's durations are in the shared array (else all in the log). */
  filled: boolean;
  estimated: number;
  events: PresentEvents;
  accountTracks: AccountTracks;
  capped: Int32Array;
}

export interface WeighTask extends ShardBase {
  op: 'weigh';
  judged: JudgedShard;
  /** Return the accounts' trust and reasons (one shard does; every shard scores them). */
  withTrust: boolean;
}

export interface WeighedShard {
  weighed: WeighedRange;
  trust: TrustResult | null;
}

export interface JoinTask {
  op: 'join';
  options: Omit<SignalsOptions, 'onProgress' | 'transferLog' | 'threads'>;
  events: number;
  estimated: number;
  ranges: UserRange[];
  shards: WeighedRange[];
  trust: TrustResult;
}

function tell(task: ShardBase, done: number): void {
  if (task.progress) Atomics.store(task.progress, task.shard, done);
}

/** Round one: the shard's events' durations, and its accounts' features into the shared arrays. */
export function judgeShard(task: JudgeTask): JudgedShard {
  const { asOf, config } = checkSignalsOptions(task.options);
  const { range } = task;
  tell(task, 0);
  const given = logOfColumns(task.log);
  checkLog(given);
  // As withEstimatedDurations: the same values, taken from the log where it has them all.
  const filled = !rangeHasDurations(given, range);
  const estimated = filled ? fillDurations(given, range, task.durations) : 0;
  tell(task, 1);
  const log = filled ? logOfColumns(task.log, task.durations) : given;
  const judged = judgeRange(log, range, asOf, config, new ArrayPool(task.room), task.features, (done) => tell(task, done));
  return { filled, estimated, events: judged.events, accountTracks: judged.accountTracks, capped: judged.capped };
}

/** Round two: every account's trust from the shared features, and the shard's entries. */
export function weighShard(task: WeighTask): WeighedShard {
  const { asOf, config } = checkSignalsOptions(task.options);
  const { events, accountTracks, capped, filled } = task.judged;
  const log = logOfColumns(task.log, filled ? task.durations : undefined);
  const trust = accountTrust(task.features, config);
  const weighed = weighRange(log, { events, features: task.features, accountTracks, capped }, trust.trust, asOf, config, new ArrayPool(task.room), (done) => tell(task, done));
  return { weighed, trust: task.withTrust ? trust : null };
}

/** The arrays of a shard's weighed range: they move between threads, not copied. */
export function weighedArrays(w: WeighedRange): ArrayBufferView[] {
  const { matrix: m, exclusions: x, trackCounts: c } = w;
  return [m.indptr, m.indices, m.pref, m.weight, x.tracks.indptr, x.tracks.indices, x.artistsByUser.indptr, x.artistsByUser.indices, c.plays, c.low, c.lowAccounts, c.cappedPlays];
}

/** Round three: the shards' entries, exclusions and counts as the whole log's, and the parts. */
export function joinShards(task: JoinTask): SignalsParts {
  const { asOf, config } = checkSignalsOptions(task.options);
  const { shards, ranges } = task;
  const m = shards.map((s) => s.matrix);
  const joinCsr = (parts: IndexCsr[]): IndexCsr => ({ ...parts[0], indptr: joinIndptr(ranges, parts), indices: concat(parts.map((p) => p.indices)) });
  const sum = (pick: (c: TrackPlayCounts) => Int32Array): Int32Array => {
    const out = new Int32Array(pick(shards[0].trackCounts).length);
    for (const s of shards) {
      const c = pick(s.trackCounts);
      for (let t = 0; t < out.length; t++) out[t] += c[t];
    }
    return out;
  };
  const totals = {} as RangeTotals;
  for (const key of Object.keys(shards[0].totals) as (keyof RangeTotals)[]) totals[key] = shards.reduce((a, s) => a + s.totals[key], 0);
  const weighed: WeighedRange = {
    matrix: { indptr: joinIndptr(ranges, m), indices: concat(m.map((x) => x.indices)), pref: concat(m.map((x) => x.pref)), weight: concat(m.map((x) => x.weight)) },
    exclusions: { tracks: joinCsr(shards.map((s) => s.exclusions.tracks)), artistsByUser: joinCsr(shards.map((s) => s.exclusions.artistsByUser)) },
    trackCounts: { plays: sum((c) => c.plays), low: sum((c) => c.low), lowAccounts: sum((c) => c.lowAccounts), cappedPlays: sum((c) => c.cappedPlays) },
    totals,
    newest: Math.max(...shards.map((s) => s.newest)),
  };
  return partsOf(task.events, task.estimated, weighed, task.trust, asOf, config, task.options.validation);
}

/**
 * Row pointers of the joined matrix: the shards' matrices have the log's rows, empty outside
 * their ranges, and each range's rows follow the entries of the shards before it.
 */
function joinIndptr(ranges: UserRange[], parts: { indptr: Int32Array; indices: Int32Array }[]): Int32Array {
  const users = ranges[ranges.length - 1].to;
  const indptr = new Int32Array(users + 1);
  let offset = 0;
  for (let s = 0; s < parts.length; s++) {
    const { from, to } = ranges[s];
    const p = parts[s].indptr;
    for (let u = from; u < to; u++) indptr[u + 1] = offset + p[u + 1];
    offset += parts[s].indices.length;
  }
  return indptr;
}

/** The arrays one after another, in shared memory (the matrix goes on to train() there). */
function concat<T extends Int32Array | Float32Array>(arrays: T[]): T {
  const total = arrays.reduce((a, x) => a + x.length, 0);
  const out = sharedArray(arrays[0].constructor as SharedCtor<T>, total);
  let at = 0;
  for (const x of arrays) {
    out.set(x as never, at);
    at += x.length;
  }
  return out;
}
