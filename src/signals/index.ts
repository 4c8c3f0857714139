/**
 * The signals stage: EventLog → Interactions (users × tracks, preference and evidence weight),
 * hard exclusions and a report. Time decay, negative feedback, per-day caps and account trust are
 * applied here so training sees clean evidence.
 */
import type { EventLog, Interactions } from '../types.js';
import { decayHalfLifeDays, resolveSignalsConfig, type SignalsConfig, type SignalsConfigInput } from './config.js';
import { decayFactor, FADED_HALF_LIVES } from './decay.js';
import type { Exclusions } from './exclusions.js';
import { judgeRange, weighRange, type WeighedRange } from './range-steps.js';
import type { SignalsReport, SignalsTotals } from './report.js';
import { judgeTracks } from './track-flags.js';
import { accountTrust, type TrustResult } from './trust.js';
import { withEstimatedDurations } from './durations.js';
import { ArrayPool } from '../util/array-pool.js';

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
  /**
   * computeSignalsAsync only: threads to split the accounts over. Default: the machine's cores, at
   * most 4, for a log of 2^20 events or more, else one (each thread keeps 5 bytes per event of the
   * whole log besides its share). The result is the same for any number.
   */
  threads?: number;
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

export function checkLog(log: EventLog): void {
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
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new RangeError(`options.threads must be an integer ≥ 1, got ${String(options.threads)}`);
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
  const { log, estimated } = withEstimatedDurations(input);
  // Per-event scratch: each step's arrays reuse the memory of the steps before (see array-pool.ts).
  const pool = new ArrayPool(log.length);
  step(1);
  // Account trust from playback behaviour, and the daily cap, on the accounts' grouped playbacks.
  const judgedRange = judgeRange(log, { from: 0, to: log.users.size }, asOf, config, pool, undefined, step);
  const judged = accountTrust(judgedRange.features, config);
  const weighed = weighRange(log, judgedRange, judged.trust, asOf, config, pool, step);
  const parts = partsOf(log.length, estimated, weighed, judged, asOf, config, options.validation);
  step(SIGNALS_STEPS.length);
  return parts;
}

/** The stage's parts from its weighed entries (of all accounts) and the accounts' judgement. */
export function partsOf(
  events: number,
  estimated: number,
  weighed: WeighedRange,
  judged: TrustResult,
  asOf: number,
  config: SignalsConfig,
  validation: Record<string, unknown> | undefined,
): SignalsParts {
  const { matrix, exclusions, totals, newest } = weighed;
  const halfLife = decayHalfLifeDays(config);
  const flagged = judgeTracks(weighed.trackCounts, {
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
    validation,
    featureStats: judged.stats,
    totals: {
      events,
      used: totals.used,
      future: totals.future,
      invalid_timestamp: totals.invalid_timestamp,
      capped_plays: totals.capped_plays,
      early_skips: totals.early_skips,
      estimated_durations: estimated,
      other_events: totals.other_events,
      faded_events: totals.faded_events,
      entries: totals.entries,
      positive_entries: totals.positive_entries,
      negative_entries: totals.negative_entries,
      dropped_entries: totals.dropped_entries,
      judged_accounts: judged.judged,
      flagged_accounts: 0,
      not_human_accounts: 0,
      flagged_tracks: flagged.length,
      excluded_tracks: exclusions.tracks.indices.length,
      excluded_artists: exclusions.artistsByUser.indices.length,
    },
  };
  return { matrix: { ...matrix, trust: judged.trust }, exclusions, report };
}

/** The stage's result from its parts and the log's dictionaries (the report names ids). */
export function assembleSignals(log: Pick<EventLog, 'users' | 'tracks'>, parts: SignalsParts): SignalsResult {
  const interactions: Interactions = { users: log.users, items: log.tracks, ...parts.matrix };
  const report = buildReport({ log, trust: parts.matrix.trust, ...parts.report });
  return { interactions, exclusions: parts.exclusions, report };
}

interface ReportInput {
  log: Pick<EventLog, 'users' | 'tracks'>;
  asOf: number;
  config: SignalsConfig;
  halfLife: number | null;
  /** Decay weight of the newest counted event (null: decay off or no event). */
  newestWeight: number | null;
  trust: Float32Array;
  reasons: Map<number, string[]>;
  flagged: { track: number; reasons: string[] }[];
  validation: Record<string, unknown> | undefined;
  featureStats: Record<string, { median: number; scale: number }>;
  totals: SignalsTotals;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The share of the used events that have faded, and whether that is most of them. */
function fadedOf(t: SignalsTotals): { faded_share: number; mostly_faded: boolean } {
  const share = t.used > 0 ? t.faded_events / t.used : 0;
  return { faded_share: round(share, 3), mostly_faded: share > 0.5 };
}

function buildReport(r: ReportInput): SignalsReport {
  const accounts: SignalsReport['accounts'] = [];
  let notHuman = 0;
  for (let u = 0; u < r.trust.length; u++) {
    if (r.trust[u] < 1) {
      accounts.push({ user_id: r.log.users.ids[u], trust: round(r.trust[u]), reasons: r.reasons.get(u) ?? [] });
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
        : { half_life_days: r.halfLife, newest_event_weight: Number(r.newestWeight.toPrecision(3)), stale: r.newestWeight < 2 ** -FADED_HALF_LIVES, ...fadedOf(r.totals) },
    anomaly: { features },
  };
}
