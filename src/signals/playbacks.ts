/**
 * Playback events (plays and skips) grouped by account, as columns: the account features and the
 * track flags walk each account's playbacks, and a million accounts spread each one's events over
 * the whole log (see group-rows.ts for why the columns are placed rather than gathered).
 */
import { EVENT_CODE, type EventLog } from '../types.js';
import type { AccountFeatureOptions } from './anomaly.js';
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
  /** What each playback was and how much of it was heard (PLAYBACK_FLAG bits, see playbackFlags). */
  readonly flags: Uint8Array;
}

/** Playbacks as groupPlaybacks gives them, with where each event went. */
export interface GroupedPlaybacks extends AccountPlaybacks {
  /** events[j] went to place[j]. */
  readonly place: Int32Array;
}

/**
 * Bits of a playback's flags. The features and the cap only ask these questions of ms played and
 * the track's length, so a byte a playback is grouped in place of eight.
 */
export const PLAYBACK_FLAG = {
  /** A play (else a skip). */
  play: 1,
  /** Ms played is known. */
  knownMs: 2,
  /** Ms played lies in the short-play window. */
  short: 4,
  /** At least the full-play fraction of the track was heard. */
  finished: 8,
} as const;

export type HeardOptions = Pick<AccountFeatureOptions, 'shortPlayWindowMs' | 'typicalDurationMs' | 'fullPlayFraction'>;

/** The flags of a playback of `kind` with `msPlayed` (NaN: unknown) of a track of `durationMs` (NaN or ≤ 0: the typical length). */
export function playbackFlags(kind: number, msPlayed: number, durationMs: number, options: HeardOptions): number {
  let flags = kind === EVENT_CODE.play ? PLAYBACK_FLAG.play : 0;
  if (Number.isNaN(msPlayed)) return flags;
  flags |= PLAYBACK_FLAG.knownMs;
  const [shortFrom, shortTo] = options.shortPlayWindowMs;
  if (msPlayed >= shortFrom && msPlayed < shortTo) flags |= PLAYBACK_FLAG.short;
  const length = durationMs > 0 && Number.isFinite(durationMs) ? durationMs : options.typicalDurationMs;
  if (msPlayed >= options.fullPlayFraction * length) flags |= PLAYBACK_FLAG.finished;
  return flags;
}

/**
 * The playback `events` (indices into the log, ascending for sequential reads) grouped by account.
 * With a `pool`, the columns come from it (the caller gives them and `place` back when done).
 */
export function groupPlaybacks(log: EventLog, events: Int32Array, options: HeardOptions, pool?: ArrayPool): GroupedPlaybacks {
  const groups = groupRows(events, log.user, log.users.size, pool);
  const n = events.length;
  const { place } = groups;
  const flags = takeArray(pool, Uint8Array, n, { zeroed: false });
  const { kind, msPlayed, durationMs } = log;
  for (let j = 0; j < n; j++) {
    const e = events[j];
    flags[place[j]] = playbackFlags(kind[e], msPlayed[e], durationMs ? durationMs[e] : Number.NaN, options);
  }
  return {
    ptr: groups.ptr,
    place,
    flags,
    timestamp: placeColumn(groups, events, log.timestamp, takeArray(pool, Float64Array, n, { zeroed: false })),
    track: placeColumn(groups, events, log.track, takeArray(pool, Int32Array, n, { zeroed: false })),
  };
}
