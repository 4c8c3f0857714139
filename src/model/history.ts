/**
 * Checks of what a service hands the model per call: counts (n, batch sizes) and a listener's
 * (track, weight, pref) entries. Done up front, where the caller's index and the track's id are
 * at hand, so a bad value is named as given instead of failing deep in a solve.
 */

import { MAX_FLOAT32 } from '../util/float32.js';

/** An integer ≥ 1, or a RangeError naming `what`. */
export function checkCount(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be an integer ≥ 1, got ${n}`);
  return n;
}

/** Entries of `{ trackId, weight?, pref? }`: an array, string ids, weights finite as float32 and ≥ 0, pref 0 or 1. */
export function checkHistory(entries: readonly { trackId: string; weight?: number; pref?: 0 | 1 }[], at: string): void {
  if (!Array.isArray(entries)) throw new TypeError(`${at} must be an array of { trackId, weight?, pref? }, got ${typeof entries}`);
  for (let i = 0; i < entries.length; i++) {
    const e: unknown = entries[i];
    if (typeof e !== 'object' || e === null) throw new TypeError(`${at}[${i}] must be an object { trackId, weight?, pref? }, got ${e === null ? 'null' : typeof e}`);
    const { trackId, weight, pref } = e as { trackId?: unknown; weight?: unknown; pref?: unknown };
    if (typeof trackId !== 'string') throw new TypeError(`${at}[${i}].trackId must be a string, got ${typeof trackId}`);
    if (weight !== undefined && !(typeof weight === 'number' && Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`${at}[${i}].weight must be finite and ≥ 0, got ${String(weight)} (track '${trackId}')`);
    }
    if (weight !== undefined && weight > MAX_FLOAT32) throw new RangeError(`${at}[${i}].weight ${weight} is beyond a 32-bit float's range (at most 3.4e38) (track '${trackId}')`);
    if (pref !== undefined && pref !== 0 && pref !== 1) throw new RangeError(`${at}[${i}].pref must be 0 (against) or 1 (for), got ${String(pref)} (track '${trackId}')`);
  }
}
