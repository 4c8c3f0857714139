import { describe, expect, it } from 'vitest';
import { markCappedPlays, playCells } from '../../src/signals/caps.js';
import type { EventLog } from '../../src/types.js';
import { mulberry32 } from '../reference/random.js';

/** The columns playCells reads, with id dictionaries only as large as their sizes claim. */
function plays(n: number, users: number, tracks: number, days: number, seed: number): { log: EventLog; day: Int32Array } {
  const rng = mulberry32(seed);
  const user = Int32Array.from({ length: n }, () => Math.floor(rng() * 6));
  const track = Int32Array.from({ length: n }, () => Math.floor(rng() * 4));
  const day = Int32Array.from({ length: n }, () => Math.floor(rng() * 3));
  const log = { length: n, user, track, users: { size: users }, tracks: { size: tracks } } as unknown as EventLog;
  return { log, day };
}

/** The reference: count each (user, track, day) cell's plays in log order. */
function referenceCapped(log: EventLog, day: Int32Array, cap: number): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  for (let e = 0; e < log.length; e++) {
    const cell = `${log.user[e]}/${log.track[e]}/${day[e]}`;
    const count = (seen.get(cell) ?? 0) + 1;
    seen.set(cell, count);
    if (count > cap) out.push(e);
  }
  return out;
}

describe('play cells and the daily cap', () => {
  it.each([
    ['packed keys', 6, 4, 3],
    // 31 + 31 + 3 bits: the fallback that orders by fields and compares them.
    ['keys wider than 64 bits', 2 ** 31, 2 ** 31, 8],
  ])('mark the plays beyond the cap in log order, with %s', (_, users, tracks, days) => {
    for (const [n, cap] of [[0, 1], [1, 1], [400, 1], [400, 3]]) {
      const { log, day } = plays(n, users, tracks, days, n + cap);
      const all = Int32Array.from({ length: n }, (_, i) => i);
      const capped = new Uint8Array(n);
      const marked = markCappedPlays(playCells(log, all, day, days), cap, capped);
      const want = referenceCapped(log, day, cap);
      expect(marked).toBe(want.length);
      expect(Array.from(capped.keys()).filter((e) => capped[e] === 1)).toEqual(want);
    }
  });
});
