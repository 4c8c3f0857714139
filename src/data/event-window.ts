/**
 * The events of a log in a time window, or at given indices, as a log of its own that shares the
 * dictionaries (so user, track and artist indices keep their meaning): e.g. the recent events a
 * weekly run folds in, cut from one full log.
 */
import type { EventLog } from '../types.js';

/** Events with from ≤ timestamp < to, in log order. */
export function eventWindow(log: EventLog, from: number, to: number): EventLog {
  let n = 0;
  for (let e = 0; e < log.length; e++) if (log.timestamp[e] >= from && log.timestamp[e] < to) n++;
  const keep = new Int32Array(n);
  for (let e = 0, w = 0; e < log.length; e++) if (log.timestamp[e] >= from && log.timestamp[e] < to) keep[w++] = e;
  return eventsAt(log, keep);
}

/** The events at indices `keep` (in that order), every column of the log included. */
export function eventsAt(log: EventLog, keep: Int32Array): EventLog {
  return {
    ...log,
    length: keep.length,
    user: pick(log.user, keep),
    track: pick(log.track, keep),
    timestamp: pick(log.timestamp, keep),
    kind: pick(log.kind, keep),
    msPlayed: pick(log.msPlayed, keep),
    durationMs: log.durationMs && pick(log.durationMs, keep),
    artist: log.artist && pick(log.artist, keep),
    context: log.context && pick(log.context, keep),
  };
}

function pick<T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T, keep: Int32Array): T {
  const out = new (a.constructor as new (n: number) => T)(keep.length);
  for (let i = 0; i < keep.length; i++) out[i] = a[keep[i]];
  return out;
}
