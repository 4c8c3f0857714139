/**
 * An event log as a pool thread of the signals stage gets it: its columns (in shared memory, or
 * moved) and its dictionaries' sizes. The ids stay on the caller's thread, which names them in the
 * report.
 */
import type { EventLog, IdDictionary } from '../types.js';

export interface LogColumns {
  length: number;
  users: number;
  tracks: number;
  artists: number | null;
  user: Int32Array;
  track: Int32Array;
  timestamp: Float64Array;
  kind: Uint8Array;
  msPlayed: Float32Array;
  durationMs: Float32Array | null;
  artist: Int32Array | null;
}

/**
 * A dictionary of which the worker knows only the size: the stage reads sizes, and the ids are
 * named on the caller's thread. Any other use is a bug, and says so.
 */
class SizeOnly implements IdDictionary {
  constructor(readonly size: number) {}
  get ids(): readonly string[] {
    throw new Error('signals worker: ids are named on the caller\'s thread');
  }
  get(): number | undefined {
    throw new Error('signals worker: ids are looked up on the caller\'s thread');
  }
}

/** The log the columns hold, with `durationMs` in place of the log's own when given. */
export function logOfColumns(c: LogColumns, durationMs?: Float32Array): EventLog {
  const durations = durationMs ?? c.durationMs;
  return {
    length: c.length,
    users: new SizeOnly(c.users),
    tracks: new SizeOnly(c.tracks),
    user: c.user,
    track: c.track,
    timestamp: c.timestamp,
    kind: c.kind,
    msPlayed: c.msPlayed,
    ...(durations ? { durationMs: durations } : {}),
    ...(c.artists !== null && c.artist ? { artist: c.artist, artists: new SizeOnly(c.artists) } : {}),
  };
}
