/**
 * Playback events (plays and skips) grouped by account, as columns: the account features and the
 * track flags walk each account's playbacks, and a million accounts spread each one's events over
 * the whole log (see group-rows.ts for why the columns are placed rather than gathered).
 */
import type { EventLog } from '../types.js';
import { groupRows, placeColumn } from '../util/group-rows.js';
import { largeArray } from '../util/large-array.js';

/** The tracks of each account's playbacks. */
export interface AccountTracks {
  /** Rows of account u: ptr[u] .. ptr[u + 1); within an account, rows keep the log's order. */
  readonly ptr: Int32Array;
  readonly track: Int32Array;
}

export interface AccountPlaybacks extends AccountTracks {
  readonly timestamp: Float64Array;
  /** NaN when unknown. */
  readonly msPlayed: Float32Array;
  /** Null when the log has no durations; NaN where unknown. */
  readonly durationMs: Float32Array | null;
}

/** The playback `events` (indices into the log, ascending for sequential reads) grouped by account. */
export function groupPlaybacks(log: EventLog, events: Int32Array): AccountPlaybacks {
  const groups = groupRows(events, log.user, log.users.size);
  const n = events.length;
  return {
    ptr: groups.ptr,
    timestamp: placeColumn(groups, events, log.timestamp, largeArray(Float64Array, n)),
    msPlayed: placeColumn(groups, events, log.msPlayed, largeArray(Float32Array, n)),
    durationMs: log.durationMs ? placeColumn(groups, events, log.durationMs, largeArray(Float32Array, n)) : null,
    track: placeColumn(groups, events, log.track, largeArray(Int32Array, n)),
  };
}
