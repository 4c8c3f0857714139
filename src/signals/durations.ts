/**
 * Track durations for logs that lack them (many exports carry ms played but not the track's
 * length). Without one every track would be taken to last `play.typicalDurationMs`: a 2½-minute
 * song heard to the end would count as unfinished, and a listener replaying a short favourite as
 * looping it unfinished — a farm's signature. A track's longest play in the log is a good
 * estimate (most tracks are heard to the end by someone), floored so that a track heard only in
 * 31-second streams (a farm's target) is not taken for a 31-second track.
 */
import { EVENT_CODE, type EventLog } from '../types.js';
import { largeArray } from '../util/large-array.js';

/** No track is estimated shorter than this: above the paid-stream window of farm plays. */
export const MIN_ESTIMATED_DURATION_MS = 45_000;

/**
 * The log with every missing duration filled from its track's estimate where the log has a
 * play of that track with a known ms played (others stay NaN), and how many events were filled. The log is
 * returned as is when every event has a duration.
 */
export function withEstimatedDurations(log: EventLog): { log: EventLog; estimated: number } {
  const all = { from: 0, to: log.users.size };
  if (rangeHasDurations(log, all)) return { log, estimated: 0 };
  const durationMs = largeArray(Float32Array, log.length);
  const estimated = fillDurations(log, all, durationMs);
  return { log: { ...log, durationMs }, estimated };
}

/** Whether every event of the accounts in `range` has a duration in the log. */
export function rangeHasDurations(log: EventLog, range: { from: number; to: number }): boolean {
  const given = log.durationMs;
  if (!given) return log.length === 0;
  for (let e = 0; e < log.length; e++) {
    const u = log.user[e];
    if (u >= range.from && u < range.to && !(given[e] > 0)) return false;
  }
  return true;
}

/**
 * Each event's duration, given or estimated as withEstimatedDurations fills it, written to `out`
 * for the events of the accounts in `range` (a shard of the signals stage); returns how many were
 * estimated. The estimates come from the whole log's plays.
 */
export function fillDurations(log: EventLog, range: { from: number; to: number }, out: Float32Array): number {
  const n = log.length;
  const given = log.durationMs;
  if (out.length !== n) throw new RangeError(`fillDurations: out has length ${out.length}, expected ${n}`);
  // Plays only: a skip ends before the track does by definition.
  const longest = new Float32Array(log.tracks.size);
  for (let e = 0; e < n; e++) {
    const ms = log.msPlayed[e];
    if (log.kind[e] === EVENT_CODE.play && ms > longest[log.track[e]]) longest[log.track[e]] = ms;
  }
  let estimated = 0;
  for (let e = 0; e < n; e++) {
    const u = log.user[e];
    if (u < range.from || u >= range.to) continue;
    if (given && given[e] > 0) {
      out[e] = given[e];
      continue;
    }
    const l = longest[log.track[e]];
    if (l > 0) {
      out[e] = Math.max(l, MIN_ESTIMATED_DURATION_MS);
      estimated++;
    } else out[e] = Number.NaN;
  }
  return estimated;
}
