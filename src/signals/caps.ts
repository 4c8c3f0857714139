/** Hard cap on the plays of one track by one account in one day. */
import type { EventLog } from '../types.js';
import { takeArray, type ArrayPool } from '../util/array-pool.js';
import { keyBits, orderByKeys, sortPacked, type KeyField } from '../util/radix-order.js';

/** Plays ordered by (user, track, UTC day), and where each (user, track, day) cell begins. */
export interface PlayCells {
  order: Int32Array;
  /** 1 where order[i] begins a new cell. */
  starts: Uint8Array;
}

/**
 * Orders the `plays` (play event indices, ascending) into their cells; `day[e]` is the event's day
 * bucket in [0, days). The sort's packed keys mark the cells in one sequential pass; only keys
 * wider than 64 bits (tens of millions of both users and tracks) read the fields back per play.
 * With a `pool`, the arrays come from it (the caller gives back the cells when done).
 */
export function playCells(log: EventLog, plays: Int32Array, day: Int32Array, days: number, pool?: ArrayPool): PlayCells {
  const fields: KeyField[] = [
    { key: log.user, buckets: log.users.size },
    { key: log.track, buckets: log.tracks.size },
    { key: day, buckets: days },
  ];
  const starts = takeArray(pool, Uint8Array, plays.length, { zeroed: false });
  if (keyBits(fields) <= 64) {
    const { order, lo, hi } = sortPacked(plays, fields, undefined, pool);
    for (let i = 0; i < order.length; i++) {
      starts[i] = i === 0 || lo[i] !== lo[i - 1] || (hi !== null && hi[i] !== hi[i - 1]) ? 1 : 0;
    }
    pool?.give(lo, hi);
    return { order, starts };
  }
  const order = orderByKeys(plays, fields);
  const { user, track } = log;
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const f = order[i - 1];
    starts[i] = i === 0 || user[e] !== user[f] || track[e] !== track[f] || day[e] !== day[f] ? 1 : 0;
  }
  return { order, starts };
}

/**
 * Mark plays beyond `cap` per (user, track, UTC day) cell in `capped` and return how many were
 * marked. Within a day the first `cap` plays in log order count (the sort is stable).
 */
export function markCappedPlays(cells: PlayCells, cap: number, capped: Uint8Array): number {
  const { order, starts } = cells;
  let marked = 0;
  let count = 0;
  for (let i = 0; i < order.length; i++) {
    count = starts[i] ? 1 : count + 1;
    if (count > cap) {
      capped[order[i]] = 1;
      marked++;
    }
  }
  return marked;
}
