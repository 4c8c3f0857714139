/**
 * The planted taste model: how much a user likes a track in a given week, and the probability
 * that they skip it when it is served. Listening simulation and evaluation share these functions,
 * so "planted-taste satisfaction" is exactly the model that generated the log.
 *
 *   mix_w       = (1 − λ)·mixStart + λ·mixEnd, λ = w / (weeks − 1) (λ = 0 for a one-week world)
 *   fit         = (s·mix_w[g1] + (1 − s)·mix_w[g2]) / max(mix_w), s = 0.7 (fit = mix_w[g1]/max when one genre)
 *   affinity    = min(1, fit + 0.3 when the artist is a favourite)
 *   P(skip)     = (0.04 + 0.8·(1 − affinity)^1.5) · (0.6 for heavy listeners)
 */
import { MAIN_GENRE_SHARE } from './catalog.js';

export const SKIP_MODEL = {
  base: 0.04,
  span: 0.8,
  exponent: 1.5,
  favouriteArtistBonus: 0.3,
  heavyFactor: 0.6,
  mainGenreShare: MAIN_GENRE_SHARE,
} as const;

/** Interpolation weight of the end mix in week w. */
export function driftLambda(week: number, weeks: number): number {
  if (weeks <= 1) return 0;
  const w = week < 0 ? 0 : week > weeks - 1 ? weeks - 1 : week;
  return w / (weeks - 1);
}

/** Writes the user's week-w mix into out[0..G) and returns its largest weight. */
export function mixAt(
  mixStart: Float64Array,
  mixEnd: Float64Array,
  user: number,
  G: number,
  week: number,
  weeks: number,
  out: Float64Array,
): number {
  const lambda = driftLambda(week, weeks);
  const off = user * G;
  let max = 0;
  for (let g = 0; g < G; g++) {
    const x = (1 - lambda) * mixStart[off + g] + lambda * mixEnd[off + g];
    out[g] = x;
    if (x > max) max = x;
  }
  return max;
}

/** Affinity in [0, 1] of a track with genres (g1, g2 or -1) for a week mix whose maximum is maxMix. */
export function affinityFromMix(mix: Float64Array, maxMix: number, g1: number, g2: number, favouriteArtist: boolean): number {
  let fit = 0;
  if (maxMix > 0) {
    const raw = g2 >= 0 ? SKIP_MODEL.mainGenreShare * mix[g1] + (1 - SKIP_MODEL.mainGenreShare) * mix[g2] : mix[g1];
    fit = raw / maxMix;
  }
  if (favouriteArtist) fit += SKIP_MODEL.favouriteArtistBonus;
  return fit > 1 ? 1 : fit;
}

/** Skip probability of a served track with the given affinity. */
export function skipFromAffinity(affinity: number, heavy: boolean): number {
  const p = SKIP_MODEL.base + SKIP_MODEL.span * Math.pow(1 - affinity, SKIP_MODEL.exponent);
  return heavy ? p * SKIP_MODEL.heavyFactor : p;
}

/** True when artist is among the user's favourites (lists are short: a linear scan). */
export function isFavouriteArtist(ptr: Int32Array, list: Int32Array, user: number, artist: number): boolean {
  for (let k = ptr[user]; k < ptr[user + 1]; k++) if (list[k] === artist) return true;
  return false;
}
