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
  const n = log.length;
  const given = log.durationMs;
  let first = 0;
  if (given) while (first < n && given[first] > 0) first++;
  if (first === n) return { log, estimated: 0 };
  // Plays only: a skip ends before the track does by definition.
  const longest = new Float32Array(log.tracks.size);
  for (let e = 0; e < n; e++) {
    const ms = log.msPlayed[e];
    if (log.kind[e] === EVENT_CODE.play && ms > longest[log.track[e]]) longest[log.track[e]] = ms;
  }
  const durationMs = largeArray(Float32Array, n);
  let estimated = 0;
  for (let e = 0; e < n; e++) {
    if (given && given[e] > 0) {
      durationMs[e] = given[e];
      continue;
    }
    const l = longest[log.track[e]];
    if (l > 0) {
      durationMs[e] = Math.max(l, MIN_ESTIMATED_DURATION_MS);
      estimated++;
    } else durationMs[e] = Number.NaN;
  }
  return { log: { ...log, durationMs }, estimated };
}
