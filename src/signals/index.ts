/**
 * The signals stage: EventLog → Interactions (users × tracks, preference and evidence weight),
 * hard exclusions and a report. Time decay, negative feedback, per-day caps and account trust are
 * applied here so training sees clean evidence.
 */
import { buildSignedCsr } from '../data/csr.js';
import { EVENT_CODE, EVENT_KINDS, type EventLog, type Interactions } from '../types.js';
import { accountFeatures } from './anomaly.js';
import { markCappedPlays, playCells } from './caps.js';
import { decayHalfLifeDays, resolveSignalsConfig, type SignalsConfig, type SignalsConfigInput } from './config.js';
import { DAY_MS, decayFactor } from './decay.js';
import { eventEvidence, isEarlySkip, isPlayback, repeatTransform } from './evidence.js';
import { computeExclusions, type Exclusions } from './exclusions.js';
import { groupPlaybacks, type AccountTracks } from './playbacks.js';
import type { SignalsReport, SignalsTotals } from './report.js';
import { flagTracks } from './track-flags.js';
import { accountTrust } from './trust.js';
import { withEstimatedDurations } from './durations.js';
import { ArrayPool, takeArray } from '../util/array-pool.js';
import { lowerBound } from '../util/lower-bound.js';

export { loadSignalsConfig, resolveSignalsConfig, defaultSignalsConfig, signalsConfigSchema } from './config.js';
export type { SignalsConfig, SignalsConfigInput } from './config.js';
export type { Exclusions, IndexCsr } from './exclusions.js';
export type { SignalsReport, SignalsTotals } from './report.js';
export { formatSignalsSummary } from './report.js';
export { decayFactor } from './decay.js';
export { defaultAsOf } from './default-as-of.js';
export { eventEvidence, repeatTransform } from './evidence.js';

export interface SignalsOptions {
  /** The time the signals are computed as of, epoch ms: events after it are ignored. */
  asOf: number;
  /** Overrides of the defaults (validated like a config file). */
  config?: SignalsConfigInput;
  /** Ingest validation findings to carry in the report. */
  validation?: Record<string, unknown>;
  /**
   * Called as each of the stage's steps (SIGNALS_STEPS) begins, and once more when all are done.
   * The steps take different shares of the stage's time. computeSignalsAsync samples the worker's
   * steps a few times a second, so a short step may go unreported.
   */
  onProgress?: (progress: SignalsProgress) => void;
  /**
   * computeSignalsAsync only: move the log's columns to the stage's thread instead of sharing or
   * copying them, for a caller done with the log (a batch job). The columns are detached then
   * (empty), and their memory goes back when the stage ends, not at some later collection.
   */
  transferLog?: boolean;
}

/** The signals stage's steps, in order. */
export const SIGNALS_STEPS = [
  'estimating durations',
  'judging accounts',
  'capping plays',
  'finding exclusions',
  'weighing events',
  'summing entries',
  'netting entries',
  'flagging tracks',
] as const;

/** Where the stage is: `done` of `total` steps finished; `step` the one running, or 'done'. */
export interface SignalsProgress {
  step: (typeof SIGNALS_STEPS)[number] | 'done';
  done: number;
  total: number;
}

/** The progress report of `done` steps finished. */
export function signalsProgress(done: number): SignalsProgress {
  return { step: SIGNALS_STEPS[done] ?? 'done', done, total: SIGNALS_STEPS.length };
}

export interface SignalsResult {
  interactions: Interactions;
  exclusions: Exclusions;
  report: SignalsReport;
}

function checkLog(log: EventLog): void {
  const n = log.length;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`log.length must be a non-negative integer, got ${n}`);
  const columns: [string, ArrayLike<number> | undefined][] = [
    ['user', log.user],
    ['track', log.track],
    ['timestamp', log.timestamp],
    ['kind', log.kind],
    ['msPlayed', log.msPlayed],
    ['durationMs', log.durationMs],
    ['artist', log.artist],
  ];
  for (const [name, col] of columns) {
    if (col !== undefined && col.length !== n) {
      throw new RangeError(`log.${name} has length ${col.length}, expected log.length ${n}`);
    }
  }
  const users = log.users.size;
  const tracks = log.tracks.size;
  for (let e = 0; e < n; e++) {
    const u = log.user[e];
    if (!(u >= 0 && u < users)) throw new RangeError(`log.user[${e}] = ${u} is outside [0, ${users})`);
    const t = log.track[e];
    if (!(t >= 0 && t < tracks)) throw new RangeError(`log.track[${e}] = ${t} is outside [0, ${tracks})`);
  }
}

/** Days spanned before the day keys are ranked instead of offset (keeps the sort keys narrow). */
const MAX_DAY_SPAN = 1 << 20;

/**
 * A dense day key per present event: the UTC day offset from the first day, or, when the log spans
 * absurdly many days (corrupt timestamps), the rank of the day among the distinct days.
 */
function dayKeys(
  timestamp: Float64Array,
  present: Int32Array,
  minDay: number,
  maxDay: number,
  pool: ArrayPool,
): { day: Int32Array; days: number } {
  const day = takeArray(pool, Int32Array, timestamp.length, { zeroed: false }); // read only at present events, all written
  if (present.length === 0) return { day, days: 0 };
  if (maxDay - minDay < MAX_DAY_SPAN) {
    for (let i = 0; i < present.length; i++) day[present[i]] = Math.floor(timestamp[present[i]] / DAY_MS) - minDay;
    return { day, days: maxDay - minDay + 1 };
  }
  const sorted = new Float64Array(present.length);
  for (let i = 0; i < present.length; i++) sorted[i] = Math.floor(timestamp[present[i]] / DAY_MS);
  sorted.sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
  const unique = sorted.subarray(0, distinct);
  for (let i = 0; i < present.length; i++) {
    const d = Math.floor(timestamp[present[i]] / DAY_MS);
    day[present[i]] = lowerBound(unique, d, 0, distinct - 1);
  }
  return { day, days: distinct };
}

/**
 * Compute interactions, exclusions and the report for `log` as of `options.asOf`.
 *
 * Per event: signed evidence (see `eventEvidence`) × exp(−ln2·Δt/halfLife); events after asOf
 * and plays over the daily cap are left out. Per (user, track): P = g(Σ positive), N = g(Σ |negative|)
 * with g the repeat transform; P > N gives pref 1 with weight P − N, otherwise pref 0 with weight
 * (N − P)·negativeConfidence. Weights are then multiplied by the account's trust; accounts below
 * `anomaly.dropBelowTrust` keep their (empty) rows. Rows and columns are the log's dictionaries.
 */
export function computeSignals(input: EventLog, options: SignalsOptions): SignalsResult {
  return assembleSignals(input, signalsParts(input, options));
}

/**
 * What the stage computes before its report names any id: the matrix, the exclusions and the
 * report's figures by index. It reads only the log's columns and its dictionaries' sizes, so it
 * can run on a worker thread (computeSignalsAsync).
 */
export interface SignalsParts {
  matrix: Pick<Interactions, 'indptr' | 'indices' | 'pref' | 'weight'> & { trust: Float32Array };
  exclusions: Exclusions;
  report: Omit<ReportInput, 'log' | 'trust'>;
}

/** The options' as-of time checked and their config validated (a clear error names what is wrong). */
export function checkSignalsOptions(options: SignalsOptions): { asOf: number; config: SignalsConfig } {
  const asOf = options?.asOf;
  if (typeof asOf !== 'number' || !Number.isFinite(asOf) || Math.abs(asOf) > 8.64e15) {
    throw new TypeError(`options.asOf must be a valid epoch-ms time, got ${String(asOf)}`);
  }
  if (options.transferLog !== undefined && typeof options.transferLog !== 'boolean') {
    throw new TypeError(`options.transferLog must be a boolean, got ${typeof options.transferLog}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new TypeError(`options.onProgress must be a function, got ${typeof options.onProgress}`);
  }
  return { asOf, config: resolveSignalsConfig(options.config, 'options.config') };
}

/** The stage up to its report (see computeSignals). */
export function signalsParts(input: EventLog, options: SignalsOptions): SignalsParts {
  const { asOf, config } = checkSignalsOptions(options);
  checkLog(input);
  const step = (done: number): void => options.onProgress?.(signalsProgress(done));
  step(0);
  // Fractions heard, early skips of short tracks and unfinished loops need each track's length.
  const { log, estimated: estimatedDurations } = withEstimatedDurations(input);
  const n = log.length;
  const users = log.users.size;
  const tracks = log.tracks.size;
  const halfLife = decayHalfLifeDays(config);
  // Per-event scratch: each step's arrays reuse the memory of the steps before (see array-pool.ts).
  const pool = new ArrayPool(n);

  step(1);
  // Events that count: a finite timestamp not after asOf.
  let future = 0;
  let invalid = 0;
  let minDay = Infinity;
  let maxDay = -Infinity;
  let newest = -Infinity;
  for (let e = 0; e < n; e++) {
    const ts = log.timestamp[e];
    if (!Number.isFinite(ts)) invalid++;
    else if (ts > asOf) future++;
    else {
      if (ts > newest) newest = ts;
      const d = Math.floor(ts / DAY_MS);
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
    }
  }
  const present = takeArray(pool, Int32Array, n - future - invalid, { zeroed: false });
  for (let e = 0, k = 0; e < n; e++) {
    const ts = log.timestamp[e];
    if (Number.isFinite(ts) && ts <= asOf) present[k++] = e;
  }
  // Account trust from playback behaviour (all present playbacks, capped or not), first: its
  // grouped columns then go back to the pool before the cap's sort takes its arrays.
  const PLAY = EVENT_CODE.play;
  let playCount = 0;
  let playbackCount = 0;
  for (let i = 0; i < present.length; i++) {
    const k = log.kind[present[i]];
    if (k === PLAY) playCount++;
    if (isPlayback(k)) playbackCount++;
  }
  const playbackEvents = takeArray(pool, Int32Array, playbackCount, { zeroed: false });
  for (let i = 0, q = 0; i < present.length; i++) if (isPlayback(log.kind[present[i]])) playbackEvents[q++] = present[i];
  const { judged, accountTracks } = judgeAccounts(log, playbackEvents, config, pool);
  pool.give(playbackEvents);

  step(2);
  // Plays ordered by (user, track, day) for the cap.
  const { day, days } = dayKeys(log.timestamp, present, minDay, maxDay, pool);
  const plays = takeArray(pool, Int32Array, playCount, { zeroed: false });
  for (let i = 0, p = 0; i < present.length; i++) if (log.kind[present[i]] === PLAY) plays[p++] = present[i];
  const capped = takeArray(pool, Uint8Array, n);
  const cells = playCells(log, plays, day, days, pool);
  const cappedPlays = markCappedPlays(cells, config.capPlaysPerTrackPerDay, capped);
  pool.give(cells.order, cells.starts, plays, day);
  step(3);
  const exclusions = computeExclusions(log, present, config.artistDislikeMin);
  const trust = judged.trust;

  step(4);
  // Per-event evidence after decay: positive ≥ 0, negative < 0, split into two channels again
  // when the entries merge.
  const used = present.length - cappedPlays;
  const rows = takeArray(pool, Int32Array, used, { zeroed: false });
  const cols = takeArray(pool, Int32Array, used, { zeroed: false });
  const signed = takeArray(pool, Float32Array, used, { zeroed: false });
  let earlySkips = 0;
  let otherEvents = 0;
  const OTHER = EVENT_CODE.other;
  for (let i = 0, k = 0; i < present.length; i++) {
    const e = present[i];
    if (capped[e]) continue;
    const kind = log.kind[e];
    if (kind === OTHER || kind >= EVENT_KINDS.length) otherEvents++;
    const evidence = eventEvidence(kind, log.msPlayed[e], log.durationMs ? log.durationMs[e] : Number.NaN, config);
    if (config.skip.negative && isEarlySkip(kind, log.msPlayed[e], log.durationMs ? log.durationMs[e] : Number.NaN, config)) earlySkips++;
    const decayed = evidence * decayFactor(asOf - log.timestamp[e], halfLife);
    rows[k] = log.user[e];
    cols[k] = log.track[e];
    signed[k] = decayed;
    k++;
  }
  pool.give(present);
  step(5);
  const summed = buildSignedCsr(users, tracks, rows, cols, signed, pool);
  pool.give(rows, cols, signed);

  step(6);
  // Net the evidence per entry, scale by trust, drop accounts judged not human.
  const nnz = summed.indices.length;
  // The results reuse scratch too (every place up to w is written); taking them fresh would add
  // their size to the stage's peak while the pool still holds its buffers.
  const output = { zeroed: false, room: false };
  const indptr = new Int32Array(users + 1);
  const indices = pool.take(Int32Array, nnz, output);
  const pref = pool.take(Float32Array, nnz, output);
  const weight = pool.take(Float32Array, nnz, output);
  let w = 0;
  let positive = 0;
  let negative = 0;
  let dropped = 0;
  const dropBelow = config.anomaly.enabled ? config.anomaly.dropBelowTrust : 0;
  for (let u = 0; u < users; u++) {
    const keep = trust[u] >= dropBelow;
    for (let p = summed.indptr[u]; p < summed.indptr[u + 1]; p++) {
      if (!keep) {
        dropped++;
        continue;
      }
      const P = repeatTransform(summed.values[0][p], config);
      const N = repeatTransform(summed.values[1][p], config);
      indices[w] = summed.indices[p];
      if (P > N) {
        pref[w] = 1;
        weight[w] = (P - N) * trust[u];
        positive++;
      } else {
        pref[w] = 0;
        weight[w] = (N - P) * config.negativeConfidence * trust[u];
        if (N > P) negative++;
      }
      w++;
    }
    indptr[u + 1] = w;
  }
  pool.give(summed.indices, ...summed.values);
  const matrix = { indptr, indices: indices.subarray(0, w), pref: pref.subarray(0, w), weight: weight.subarray(0, w), trust };
  step(7);
  const flagged = flagTracks(log, accountTracks, trust, capped, {
    notHumanBelow: config.anomaly.notHumanBelow,
    shareAbove: config.anomaly.trackLowTrustShare,
    minPlays: config.anomaly.trackMinPlays,
    cap: config.capPlaysPerTrackPerDay,
  });

  const report = {
    asOf,
    config,
    halfLife,
    newestWeight: halfLife !== null && newest > -Infinity ? decayFactor(asOf - newest, halfLife) : null,
    reasons: judged.reasons,
    flagged,
    validation: options.validation,
    featureStats: judged.stats,
    totals: {
      events: n,
      used,
      future,
      invalid_timestamp: invalid,
      capped_plays: cappedPlays,
      early_skips: earlySkips,
      estimated_durations: estimatedDurations,
      other_events: otherEvents,
      entries: w,
      positive_entries: positive,
      negative_entries: negative,
      dropped_entries: dropped,
      judged_accounts: judged.judged,
      flagged_accounts: 0,
      not_human_accounts: 0,
      flagged_tracks: flagged.length,
      excluded_tracks: exclusions.tracks.indices.length,
      excluded_artists: exclusions.artistsByUser.indices.length,
    },
  };
  step(SIGNALS_STEPS.length);
  return { matrix, exclusions, report };
}

/** The stage's result from its parts and the log's dictionaries (the report names ids). */
export function assembleSignals(log: Pick<EventLog, 'users' | 'tracks'>, parts: SignalsParts): SignalsResult {
  const interactions: Interactions = { users: log.users, items: log.tracks, ...parts.matrix };
  const report = buildReport({ log, trust: parts.matrix.trust, ...parts.report });
  return { interactions, exclusions: parts.exclusions, report };
}

/**
 * Features and trust of every account from its playbacks. Only each account's tracks (for the
 * track flags) outlive this call: the other grouped columns are a large share of the stage's
 * memory on a big log.
 */
function judgeAccounts(log: EventLog, playbackEvents: Int32Array, config: SignalsConfig, pool: ArrayPool): { judged: ReturnType<typeof accountTrust>; accountTracks: AccountTracks } {
  const playbacks = groupPlaybacks(log, playbackEvents, pool);
  const features = accountFeatures(playbacks, {
    shortPlayWindowMs: config.anomaly.shortPlayWindowMs,
    sessionGapMs: config.anomaly.sessionGapMs,
    typicalDurationMs: config.play.typicalDurationMs,
    fullPlayFraction: config.play.fullPlayFraction,
  });
  pool.give(playbacks.timestamp, playbacks.msPlayed, playbacks.durationMs);
  return { judged: accountTrust(features, config), accountTracks: { ptr: playbacks.ptr, track: playbacks.track } };
}

interface ReportInput {
  log: Pick<EventLog, 'users' | 'tracks'>;
  asOf: number;
  config: SignalsConfig;
  halfLife: number | null;
  /** Decay weight of the newest counted event (null: decay off or no event). */
  newestWeight: number | null;
  trust: Float32Array;
  reasons: (string[] | undefined)[];
  flagged: { track: number; reasons: string[] }[];
  validation: Record<string, unknown> | undefined;
  featureStats: Record<string, { median: number; scale: number }>;
  totals: SignalsTotals;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function buildReport(r: ReportInput): SignalsReport {
  const accounts: SignalsReport['accounts'] = [];
  let notHuman = 0;
  for (let u = 0; u < r.trust.length; u++) {
    if (r.trust[u] < 1) {
      accounts.push({ user_id: r.log.users.ids[u], trust: round(r.trust[u]), reasons: r.reasons[u] ?? [] });
      if (r.trust[u] < r.config.anomaly.notHumanBelow) notHuman++;
    }
  }
  accounts.sort((a, b) => a.trust - b.trust || (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
  const features: SignalsReport['anomaly']['features'] = {};
  for (const [name, s] of Object.entries(r.featureStats)) {
    features[name] = { median: Number.isFinite(s.median) ? round(s.median) : null, scale: round(s.scale) };
  }
  return {
    asOf: new Date(r.asOf).toISOString(),
    config: r.config,
    accounts,
    tracks: r.flagged.map((f) => ({ track_id: r.log.tracks.ids[f.track], reasons: f.reasons })),
    validation: { ...(r.validation ?? {}) },
    totals: { ...r.totals, flagged_accounts: accounts.length, not_human_accounts: notHuman },
    decay:
      r.newestWeight === null
        ? { half_life_days: r.halfLife }
        : { half_life_days: r.halfLife, newest_event_weight: Number(r.newestWeight.toPrecision(3)), stale: r.newestWeight < 1 / 16 },
    anomaly: { features },
  };
}
