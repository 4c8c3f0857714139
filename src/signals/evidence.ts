/**
 * Evidence of a single event, before time decay and account trust. Positive values are evidence
 * of liking the track, negative values of not liking it.
 */
import { EVENT_CODE } from '../types.js';
import type { SignalsConfig } from './config.js';

const PLAY = EVENT_CODE.play;
const SKIP = EVENT_CODE.skip;
const LIKE = EVENT_CODE.like;
const DISLIKE = EVENT_CODE.dislike;
const PLAYLIST_ADD = EVENT_CODE.playlist_add;
const SHARE = EVENT_CODE.share;

/** Whether a kind code is a playback (a play or a skip). */
export function isPlayback(kind: number): boolean {
  return kind === PLAY || kind === SKIP;
}

/** Track length to judge a playback against: the logged duration, else the typical one. */
export function effectiveDurationMs(durationMs: number, config: SignalsConfig): number {
  return durationMs > 0 && Number.isFinite(durationMs) ? durationMs : config.play.typicalDurationMs;
}

/**
 * Whether a playback of `msPlayed` stopped early. An explicit `skip` is early before
 * `skip.earlyMs` or before `skip.earlyFraction` of the track. A `play` is early only before
 * `skip.earlyMs`: a play past it is a counted stream (the usual 30-s rule), worth the fraction
 * heard, so a farm's 31-s streams count unless the account's trust removes them.
 * Unknown ms played is not early (see `eventEvidence`).
 */
export function isEarlyStop(kind: number, msPlayed: number, durationMs: number, config: SignalsConfig): boolean {
  if (msPlayed < config.skip.earlyMs) return true;
  return kind === SKIP && msPlayed < config.skip.earlyFraction * durationMs;
}

/** Whether an event is a playback that stopped early (negative evidence unless `skip.negative` is off). */
export function isEarlySkip(kind: number, msPlayed: number, durationMs: number, config: SignalsConfig): boolean {
  if (kind !== PLAY && kind !== SKIP) return false;
  if (Number.isNaN(msPlayed)) return kind === SKIP;
  return isEarlyStop(kind, msPlayed, effectiveDurationMs(durationMs, config), config);
}

/**
 * Signed evidence of one event.
 * - play: a stop before skip.earlyMs is an early skip (weights.skip); otherwise weights.play scaled by the
 *   fraction heard, reaching the full weight at `play.fullPlayFraction`. Unknown ms played counts
 *   as a full play (logs without ms played record completed plays).
 * - skip: an early skip (or one with unknown ms played) is weights.skip; a late skip is a partial
 *   play, counted like a play of the fraction heard.
 * - with `skip.negative` off, early stops too count as plays of the fraction heard (an early skip
 *   with unknown ms played counts nothing): the pipeline without negative feedback.
 * - like, dislike, playlist_add, share, other: their table weight.
 */
export function eventEvidence(kind: number, msPlayed: number, durationMs: number, config: SignalsConfig): number {
  const w = config.weights;
  if (kind === PLAY || kind === SKIP) {
    const negative = config.skip.negative;
    if (Number.isNaN(msPlayed)) return kind === PLAY ? w.play : negative ? w.skip : 0;
    const d = effectiveDurationMs(durationMs, config);
    if (negative && isEarlyStop(kind, msPlayed, d, config)) return w.skip;
    return w.play * Math.min(1, msPlayed / d / config.play.fullPlayFraction);
  }
  if (kind === LIKE) return w.like;
  if (kind === DISLIKE) return w.dislike;
  if (kind === PLAYLIST_ADD) return w.playlist_add;
  if (kind === SHARE) return w.share;
  return w.other;
}

/** Diminishing returns of summed evidence x ≥ 0 (see the `repeat` config). */
export function repeatTransform(x: number, config: SignalsConfig): number {
  if (x <= 0) return 0;
  const r = config.repeat;
  // log1p, not log2(1 + x): 1 + x rounds to 1 below x ≈ 1e-16, which turned every entry whose
  // evidence had decayed past ~53 half-lives into one with no evidence at all (not positive).
  if (r.mode === 'log') return Math.log1p(x) / Math.LN2;
  if (r.mode === 'power') return Math.pow(x, r.exponent);
  return x;
}
