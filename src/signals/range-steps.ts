/**
 * The signals stage's work for a range of accounts. Everything the stage does per event is
 * decided by the event's account, its track's length and the population's account statistics, so
 * accounts split into ranges can be weighed apart (computeSignalsAsync runs a range per thread)
 * and give the same entries, bit for bit, as the whole log at once. Ranges keep the log's row and
 * column numbering: their matrices have the log's shape, with rows outside the range empty.
 */
import { EVENT_CODE, EVENT_KINDS, type EventLog } from '../types.js';
import { accountFeatures, type AccountFeatures } from './anomaly.js';
import { markCappedPlays, markedEvents } from './caps.js';
import { decayHalfLifeDays, type SignalsConfig } from './config.js';
import { DAY_MS, decayedEvidence, FADED_HALF_LIVES } from './decay.js';
import { eventEvidence, isEarlySkip, isPlayback } from './evidence.js';
import { groupEvidence, netEntries } from './net-entries.js';
import { computeExclusions, type Exclusions } from './exclusions.js';
import { groupPlaybacks, type AccountTracks } from './playbacks.js';
import { countTrackPlays, type TrackPlayCounts } from './track-flags.js';
import { takeArray, type ArrayPool } from '../util/array-pool.js';

/** Accounts from ≤ u < to of the log's users. */
export interface UserRange {
  from: number;
  to: number;
}

/** The range's events that count: a finite timestamp not after asOf. */
export interface PresentEvents {
  /** Their indices, ascending. */
  present: Int32Array;
  future: number;
  invalid: number;
  /** The newest counted timestamp (−Infinity: none). */
  newest: number;
}

/** What judging a range's accounts leaves for weighing them. */
export interface JudgedRange {
  events: PresentEvents;
  /** Features of the log's accounts: the range's written (into the given arrays, else new ones, NaN elsewhere). */
  features: AccountFeatures;
  /** The range's playbacks' tracks by account (the track flags count them). */
  accountTracks: AccountTracks;
  /** The plays over the daily cap, ascending (left out of the entries). */
  capped: Int32Array;
}

/** Counts of a range that add up over ranges into the report's totals. */
export interface RangeTotals {
  used: number;
  future: number;
  invalid_timestamp: number;
  capped_plays: number;
  early_skips: number;
  other_events: number;
  faded_events: number;
  entries: number;
  positive_entries: number;
  negative_entries: number;
  dropped_entries: number;
}

export interface WeighedRange {
  /** The log's shape; rows outside the range are empty. */
  matrix: { indptr: Int32Array; indices: Int32Array; pref: Float32Array; weight: Float32Array };
  exclusions: Exclusions;
  trackCounts: TrackPlayCounts;
  totals: RangeTotals;
  newest: number;
}

function inRange(u: number, range: UserRange): boolean {
  return u >= range.from && u < range.to;
}

/** The range's events that count (see PresentEvents), in one pass over the log. */
export function presentEvents(log: EventLog, range: UserRange, asOf: number, pool: ArrayPool): PresentEvents {
  const n = log.length;
  // Room for every event; pages past the range's count are never touched.
  const present = takeArray(pool, Int32Array, n, { zeroed: false });
  let future = 0;
  let invalid = 0;
  let count = 0;
  let newest = -Infinity;
  for (let e = 0; e < n; e++) {
    if (!inRange(log.user[e], range)) continue;
    const ts = log.timestamp[e];
    if (!Number.isFinite(ts)) invalid++;
    else if (ts > asOf) future++;
    else {
      present[count++] = e;
      if (ts > newest) newest = ts;
    }
  }
  return { present: present.subarray(0, count), future, invalid, newest };
}

/**
 * Features of the range's accounts from their playbacks (all counted playbacks, capped or not),
 * into `into` when given (a shard's, into the shared arrays), then the plays over the daily cap
 * (`step(2)` is told as the cap begins). The grouped columns go back to the pool, but for each
 * account's tracks.
 */
export function judgeRange(
  log: EventLog,
  range: UserRange,
  asOf: number,
  config: SignalsConfig,
  pool: ArrayPool,
  into?: AccountFeatures,
  step: (done: number) => void = () => {},
): JudgedRange {
  const events = presentEvents(log, range, asOf, pool);
  const { present } = events;
  let playbackCount = 0;
  for (let i = 0; i < present.length; i++) if (isPlayback(log.kind[present[i]])) playbackCount++;
  const playbackEvents = takeArray(pool, Int32Array, playbackCount, { zeroed: false });
  for (let i = 0, q = 0; i < present.length; i++) if (isPlayback(log.kind[present[i]])) playbackEvents[q++] = present[i];
  const options = {
    shortPlayWindowMs: config.anomaly.shortPlayWindowMs,
    sessionGapMs: config.anomaly.sessionGapMs,
    typicalDurationMs: config.play.typicalDurationMs,
    fullPlayFraction: config.play.fullPlayFraction,
  };
  const playbacks = groupPlaybacks(log, playbackEvents, options, pool);
  const features = accountFeatures(playbacks, options, into ? { features: into, ...range } : undefined);
  step(2);
  const marks = takeArray(pool, Uint8Array, playbackCount);
  const capped = markedEvents(playbackEvents, playbacks.place, marks, markCappedPlays(playbacks, config.capPlaysPerTrackPerDay, marks));
  pool.give(marks, playbackEvents, playbacks.place, playbacks.flags, playbacks.timestamp);
  return { events, features, accountTracks: { ptr: playbacks.ptr, track: playbacks.track }, capped };
}

/**
 * The range's entries given every account's trust: plays over the daily cap left out, dislike
 * exclusions, per-event evidence after decay summed per (user, track) and netted, weights scaled
 * by trust, and the range's counts for the track flags. `step(k)` is told as steps 3 … 7 begin.
 */
export function weighRange(log: EventLog, judged: JudgedRange, trust: Float32Array, asOf: number, config: SignalsConfig, pool: ArrayPool, step: (done: number) => void): WeighedRange {
  const { present } = judged.events;
  const { capped } = judged;
  const halfLife = decayHalfLifeDays(config);

  step(3);
  const exclusions = computeExclusions(log, present, config.artistDislikeMin);

  step(4);
  // Per-event evidence after decay: positive ≥ 0, negative < 0, summed apart per entry. The used
  // events are compacted into `present` in place (it is not read again).
  const used = present.length - capped.length;
  const evidence = takeArray(pool, Float32Array, used, { zeroed: false });
  let earlySkips = 0;
  let otherEvents = 0;
  let fadedEvents = 0;
  // Events older than four half-lives weigh under 1/16 of a fresh one (counted for the report).
  const fadedAge = halfLife === null ? Infinity : FADED_HALF_LIVES * halfLife * DAY_MS;
  const OTHER = EVENT_CODE.other;
  // Both ascending: the capped plays are passed over in step.
  for (let i = 0, k = 0, c = 0; i < present.length; i++) {
    const e = present[i];
    if (c < capped.length && capped[c] === e) {
      c++;
      continue;
    }
    const kind = log.kind[e];
    if (kind === OTHER || kind >= EVENT_KINDS.length) otherEvents++;
    const ms = log.msPlayed[e];
    const duration = log.durationMs ? log.durationMs[e] : Number.NaN;
    if (config.skip.negative && isEarlySkip(kind, ms, duration, config)) earlySkips++;
    const age = asOf - log.timestamp[e];
    if (age > fadedAge) fadedEvents++;
    evidence[k] = decayedEvidence(eventEvidence(kind, ms, duration, config), age, halfLife);
    present[k++] = e;
  }
  step(5);
  const grouped = groupEvidence(log, present.subarray(0, used), evidence, pool);
  pool.give(present, evidence);

  step(6);
  // Net the evidence per entry, scale by trust, drop accounts judged not human.
  const netted = netEntries(grouped, trust, config, pool);
  pool.give(grouped.track, grouped.evidence);
  step(7);
  const trackCounts = countTrackPlays(log, judged.accountTracks, trust, capped, config.anomaly.notHumanBelow);
  return {
    matrix: { indptr: netted.indptr, indices: netted.indices, pref: netted.pref, weight: netted.weight },
    exclusions,
    trackCounts,
    newest: judged.events.newest,
    totals: {
      used,
      future: judged.events.future,
      invalid_timestamp: judged.events.invalid,
      capped_plays: capped.length,
      early_skips: earlySkips,
      other_events: otherEvents,
      faded_events: fadedEvents,
      entries: netted.indices.length,
      positive_entries: netted.positive,
      negative_entries: netted.negative,
      dropped_entries: netted.dropped,
    },
  };
}
