/** Hard cap on the plays of one track by one account in one day. */
import { EVENT_CODE, type EventLog } from '../types.js';

/**
 * Mark plays beyond `cap` per (user, track, UTC day) in `capped` and return how many were marked.
 * `order` lists event indices sorted by (user, track, day) (other kinds than play are skipped);
 * `day` gives each event's day bucket.
 * Within a day the first `cap` plays in log order count.
 */
export function markCappedPlays(
  log: EventLog,
  order: Int32Array,
  day: Int32Array,
  cap: number,
  capped: Uint8Array,
): number {
  const PLAY = EVENT_CODE.play;
  let marked = 0;
  let count = 0;
  let pu = -1;
  let pt = -1;
  let pd = -1;
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const u = log.user[e];
    const t = log.track[e];
    const d = day[e];
    if (u !== pu || t !== pt || d !== pd) {
      count = 0;
      pu = u;
      pt = t;
      pd = d;
    }
    if (log.kind[e] !== PLAY) continue;
    count++;
    if (count > cap) {
      capped[e] = 1;
      marked++;
    }
  }
  return marked;
}
