/**
 * Per-account behaviour features that separate people from streaming farms. Humans sleep, listen
 * to whole tracks, spread their plays over many tracks and rarely exceed one track every few
 * minutes; farms stream a few target tracks for just over 30 s (the usual royalty threshold),
 * hour after hour, with machine-regular gaps.
 */
import { DAY_MS, HOUR_MS } from './decay.js';
import { PLAYBACK_FLAG, type AccountPlaybacks } from './playbacks.js';
import { sortPrefix } from '../util/float-sort.js';
import { medianInPlace } from '../util/median.js';

export const ACCOUNT_FEATURES = [
  'peakPlaysPerHour',
  'playsPerActiveDay',
  'activeHoursPerDay',
  'shortPlayShare',
  'gapRegularity',
  'topTrackShare',
  'unfinishedLoopShare',
  'distinctTrackRatio',
  'hourEntropy',
  'quietHours',
] as const;
export type AccountFeature = (typeof ACCOUNT_FEATURES)[number];

/** Features per account (struct of arrays, indexed by user); NaN where undefined. */
export interface AccountFeatures {
  /** Playback events (plays and skips) per account. */
  readonly plays: Int32Array;
  readonly values: Readonly<Record<AccountFeature, Float64Array>>;
}

export interface AccountFeatureOptions {
  /** [from, to) ms played that counts as a "short" play. */
  shortPlayWindowMs: readonly [number, number];
  /** Gaps above this end a session and are ignored by the regularity feature. */
  sessionGapMs: number;
  /** Track length assumed when the log has none. */
  typicalDurationMs: number;
  /** Fraction of a track heard that counts as finishing it. */
  fullPlayFraction: number;
}

/** An hour of the day is quiet when it holds under this fraction of a uniform hour's share. */
const QUIET_FRACTION = 0.25;
/** Plays of one track from which never finishing it counts as looping. */
const LOOP_MIN_PLAYS = 5;
/** Fewer in-session gaps than this leave the regularity undefined. */
const MIN_GAPS = 10;

/** Features of `users` accounts, all undefined (NaN) and without playbacks. */
export function emptyFeatures(users: number): AccountFeatures {
  const values = Object.fromEntries(ACCOUNT_FEATURES.map((f) => [f, new Float64Array(users).fill(Number.NaN)])) as Record<AccountFeature, Float64Array>;
  return { plays: new Int32Array(users), values };
}

/**
 * Compute the features of every account from its playbacks (in any order within an account).
 *
 * - peakPlaysPerHour: most playbacks in one clock hour.
 * - playsPerActiveDay: playbacks per UTC day with any playback.
 * - activeHoursPerDay: distinct clock hours with playback per active day.
 * - shortPlayShare: share of playbacks (with known ms played) ending in the short window.
 * - gapRegularity: robust coefficient of variation (1.4826·MAD / median) of the gaps between
 *   consecutive playbacks within a session; farms are metronomic (low), people are not.
 * - topTrackShare: share of playbacks on the account's most played track.
 * - unfinishedLoopShare: share of playbacks on tracks the account played at least `LOOP_MIN_PLAYS`
 *   times without ever hearing one to the end (the full-play fraction). People return to tracks
 *   they finish; farms loop their targets for just the paid seconds, however much filler hides it.
 * - distinctTrackRatio: distinct tracks / playbacks.
 * - hourEntropy: entropy (bits, max log2 24 ≈ 4.58) of the hour-of-day histogram (UTC; entropy does
 *   not depend on the time zone).
 * - quietHours: longest circular run of hours of the day with almost no activity (sleep).
 */
export function accountFeatures(
  playbacks: AccountPlaybacks,
  options: AccountFeatureOptions,
  out?: { features: AccountFeatures; from: number; to: number },
): AccountFeatures {
  const { ptr, timestamp, flags, track } = playbacks;
  // Into `out`, only its accounts from ≤ u < to are written (a shard's, into shared arrays).
  const { features, from, to } = out ?? { features: emptyFeatures(ptr.length - 1), from: 0, to: ptr.length - 1 };
  const { plays, values } = features;

  let maxN = 0;
  for (let u = from; u < to; u++) maxN = Math.max(maxN, ptr[u + 1] - ptr[u]);
  const times = new Float64Array(maxN);
  // Per-track tallies of the current account, reset lazily: stamp[t] is the last account seen on t.
  let tracks = 0;
  for (let e = 0; e < track.length; e++) if (track[e] >= tracks) tracks = track[e] + 1;
  const stamp = new Int32Array(tracks).fill(-1);
  const perTrack = new Int32Array(tracks);
  const finishedOnce = new Uint8Array(tracks);
  const seen = new Int32Array(maxN);
  const scratch = new Float64Array(maxN);
  const hist = new Float64Array(24);

  for (let u = from; u < to; u++) {
    const begin = ptr[u];
    const n = ptr[u + 1] - begin;
    plays[u] = n;
    if (n === 0) {
      if (out) for (const f of ACCOUNT_FEATURES) values[f][u] = Number.NaN;
      continue;
    }

    let known = 0;
    let short = 0;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const e = begin + i;
      times[i] = timestamp[e];
      // Heard in full unless ms played is known and short of the full-play fraction.
      const heard = flags[e];
      let finished = 1;
      if (heard & PLAYBACK_FLAG.knownMs) {
        known++;
        if (heard & PLAYBACK_FLAG.short) short++;
        finished = heard & PLAYBACK_FLAG.finished ? 1 : 0;
      }
      const tr = track[e];
      if (stamp[tr] !== u) {
        stamp[tr] = u;
        perTrack[tr] = 0;
        finishedOnce[tr] = 0;
        seen[distinct++] = tr;
      }
      perTrack[tr]++;
      finishedOnce[tr] |= finished;
    }
    values.shortPlayShare[u] = known > 0 ? short / known : Number.NaN;

    // Logs are usually in time order, which the grouping by user keeps: sort only when needed.
    const t = times;
    for (let i = 1; i < n; i++) {
      if (t[i] < t[i - 1]) {
        sortPrefix(t, n);
        break;
      }
    }
    hist.fill(0);
    let peak = 0;
    let run = 0;
    let hours = 0;
    let days = 0;
    let prevHour = Number.NaN;
    let prevDay = Number.NaN;
    let gapCount = 0;
    for (let i = 0; i < n; i++) {
      const hour = Math.floor(t[i] / HOUR_MS);
      const day = Math.floor(t[i] / DAY_MS);
      if (hour === prevHour) run++;
      else {
        run = 1;
        hours++;
        prevHour = hour;
      }
      if (run > peak) peak = run;
      if (day !== prevDay) {
        days++;
        prevDay = day;
      }
      hist[((hour % 24) + 24) % 24]++;
      if (i > 0) {
        const gap = t[i] - t[i - 1];
        if (gap > 0 && gap <= options.sessionGapMs) scratch[gapCount++] = gap;
      }
    }
    values.peakPlaysPerHour[u] = peak;
    values.playsPerActiveDay[u] = n / days;
    values.activeHoursPerDay[u] = hours / days;
    if (gapCount >= MIN_GAPS) {
      const med = medianInPlace(scratch, gapCount);
      for (let i = 0; i < gapCount; i++) scratch[i] = Math.abs(scratch[i] - med);
      values.gapRegularity[u] = (1.4826 * medianInPlace(scratch, gapCount)) / med;
    } else values.gapRegularity[u] = Number.NaN;

    let entropy = 0;
    const quietBelow = (QUIET_FRACTION * n) / 24;
    let longestQuiet = 0;
    let quietRun = 0;
    // Two laps over the circular day find runs that wrap past midnight.
    for (let h = 0; h < 48; h++) {
      const c = hist[h % 24];
      if (h < 24 && c > 0) {
        const p = c / n;
        entropy -= p * Math.log2(p);
      }
      if (c < quietBelow) {
        quietRun++;
        if (quietRun > longestQuiet) longestQuiet = Math.min(24, quietRun);
      } else quietRun = 0;
    }
    values.hourEntropy[u] = entropy;
    values.quietHours[u] = longestQuiet;

    let top = 0;
    let looped = 0;
    for (let i = 0; i < distinct; i++) {
      const count = perTrack[seen[i]];
      if (count > top) top = count;
      if (count >= LOOP_MIN_PLAYS && finishedOnce[seen[i]] === 0) looped += count;
    }
    values.topTrackShare[u] = top / n;
    values.distinctTrackRatio[u] = distinct / n;
    values.unfinishedLoopShare[u] = looped / n;
  }
  return { plays, values };
}

