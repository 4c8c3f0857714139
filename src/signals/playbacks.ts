/**
 * Playback events (plays and skips) grouped by account, as columns: the account features and the
 * track flags walk each account's playbacks, and a million accounts spread each one's events over
 * the whole log (see group-rows.ts for why the columns are placed rather than gathered).
 */
import type { EventLog } from '../types.js';
import { groupRows, placeColumn } from '../util/group-rows.js';
import { takeArray, type ArrayPool } from '../util/array-pool.js';

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

/** Playbacks as groupPlaybacks gives them: with their kinds, and where each event went. */
export interface GroupedPlaybacks extends AccountPlaybacks {
  /** events[j] went to place[j]. */
  readonly place: Int32Array;
  readonly kind: Uint8Array;
}

/**
 * The playback `events` (indices into the log, ascending for sequential reads) grouped by account.
 * With a `pool`, the columns come from it (the caller gives them and `place` back when done).
 */
export function groupPlaybacks(log: EventLog, events: Int32Array, pool?: ArrayPool): GroupedPlaybacks {
  const groups = groupRows(events, log.user, log.users.size, pool);
  const n = events.length;
  return {
    ptr: groups.ptr,
    place: groups.place,
    kind: placeColumn(groups, events, log.kind, takeArray(pool, Uint8Array, n, { zeroed: false })),
    timestamp: placeColumn(groups, events, log.timestamp, takeArray(pool, Float64Array, n, { zeroed: false })),
    msPlayed: placeColumn(groups, events, log.msPlayed, takeArray(pool, Float32Array, n, { zeroed: false })),
    durationMs: log.durationMs ? placeColumn(groups, events, log.durationMs, takeArray(pool, Float32Array, n, { zeroed: false })) : null,
    track: placeColumn(groups, events, log.track, takeArray(pool, Int32Array, n, { zeroed: false })),
  };
}
