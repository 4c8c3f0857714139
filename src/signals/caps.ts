/**
 * Hard cap on the plays of one track by one account in one UTC day. The accounts' playbacks are
 * grouped for their features already, in log order within each account, so each account's plays
 * are counted per (track, day) cell there, in a small table reused from account to account. (A
 * sort of every play by (user, track, day) took a fifth of the stage's time on one thread, and
 * 25 bytes of scratch a play besides a day key for every event of the log.)
 */
import { EVENT_CODE } from '../types.js';
import { DAY_MS } from './decay.js';
import type { GroupedPlaybacks } from './playbacks.js';

/**
 * Marks (1 in `marks`, by grouped place) the plays beyond `cap` in their (account, track, UTC day)
 * cell, the first `cap` in log order counting, and returns how many were marked. Skips are
 * playbacks but not plays: they neither count nor are capped.
 */
export function markCappedPlays(playbacks: Pick<GroupedPlaybacks, 'ptr' | 'track' | 'kind' | 'timestamp'>, cap: number, marks: Uint8Array): number {
  const { ptr, track, kind, timestamp } = playbacks;
  const PLAY = EVENT_CODE.play;
  const cells = new CellCounts();
  let marked = 0;
  for (let u = 0; u + 1 < ptr.length; u++) {
    const from = ptr[u];
    const to = ptr[u + 1];
    if (to - from <= cap) continue; // no cell can pass the cap
    cells.reset(to - from);
    for (let p = from; p < to; p++) {
      if (kind[p] !== PLAY) continue;
      if (cells.add(track[p], Math.floor(timestamp[p] / DAY_MS)) > cap) {
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

/**
 * Counts per (track, day) cell for one account at a time: open addressing over typed arrays, with
 * a stamp per slot so that starting the next account clears nothing. It grows only for an account
 * with more playbacks than any before it, and a small account uses the first slots only.
 */
class CellCounts {
  #track = new Int32Array(0);
  #day = new Float64Array(0);
  #count = new Int32Array(0);
  #stamp = new Int32Array(0);
  #mask = 0;
  #current = 0;

  /** Start a new account of at most `rows` cells. */
  reset(rows: number): void {
    const size = 2 ** Math.ceil(Math.log2(2 * rows));
    if (size > this.#stamp.length) {
      this.#track = new Int32Array(size);
      this.#day = new Float64Array(size);
      this.#count = new Int32Array(size);
      this.#stamp = new Int32Array(size);
      this.#current = 0;
    }
    this.#mask = size - 1;
    this.#current++;
  }

  /** One more play in the cell; returns its count so far. */
  add(track: number, day: number): number {
    // Days are finite (only counted events come) but may lie far from today: hash their low bits.
    let slot = (Math.imul(track, 0x9e3779b1) ^ Math.imul(day | 0, 0x85ebca77)) & this.#mask;
    for (;;) {
      if (this.#stamp[slot] !== this.#current) {
        this.#stamp[slot] = this.#current;
        this.#track[slot] = track;
        this.#day[slot] = day;
        this.#count[slot] = 1;
        return 1;
      }
      if (this.#track[slot] === track && this.#day[slot] === day) return ++this.#count[slot];
      slot = (slot + 1) & this.#mask;
    }
  }
}
