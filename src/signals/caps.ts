/**
 * Hard cap on the plays of one track by one account in one UTC day. The accounts' playbacks are
 * grouped for their features already, in log order within each account, so each account's plays
 * are counted per (track, day) cell there, KeySlots numbering an account's cells. (A sort of
 * every play by (user, track, day) took a fifth of the stage's time on one thread, and 25 bytes
 * of scratch a play besides a day key for every event of the log.)
 */
import { DAY_MS } from './decay.js';
import { PLAYBACK_FLAG, type GroupedPlaybacks } from './playbacks.js';
import { KeySlots } from '../util/key-slots.js';

/**
 * Marks (1 in `marks`, by grouped place) the plays beyond `cap` in their (account, track, UTC day)
 * cell, the first `cap` in log order counting, and returns how many were marked. Skips are
 * playbacks but not plays: they neither count nor are capped.
 */
export function markCappedPlays(playbacks: Pick<GroupedPlaybacks, 'ptr' | 'track' | 'flags' | 'timestamp'>, cap: number, marks: Uint8Array): number {
  const { ptr, track, flags, timestamp } = playbacks;
  const cells = new KeySlots();
  let counts = new Int32Array(0);
  let marked = 0;
  for (let u = 0; u + 1 < ptr.length; u++) {
    const from = ptr[u];
    const to = ptr[u + 1];
    if (to - from <= cap) continue; // no cell can pass the cap
    cells.reset(to - from);
    if (counts.length < to - from) counts = new Int32Array(to - from);
    for (let p = from; p < to; p++) {
      if (!(flags[p] & PLAYBACK_FLAG.play)) continue;
      const seen = cells.size;
      const cell = cells.idOf(track[p], Math.floor(timestamp[p] / DAY_MS));
      if (cell === seen) counts[cell] = 0; // a new cell
      if (++counts[cell] > cap) {
        marks[p] = 1;
        marked++;
      }
    }
  }
  return marked;
}

/**
 * The events (ascending) whose grouped place is marked: `events` are the grouped events in log
 * order and `place` where each went.
 */
export function markedEvents(events: Int32Array, place: Int32Array, marks: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let j = 0, k = 0; k < count && j < events.length; j++) if (marks[place[j]] === 1) out[k++] = events[j];
  return out;
}
