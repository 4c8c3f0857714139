import { describe, expect, it } from 'vitest';
import { markCappedPlays, markedEvents } from '../../src/signals/caps.js';
import { DAY_MS } from '../../src/signals/decay.js';
import { groupPlaybacks } from '../../src/signals/playbacks.js';
import { EVENT_CODE, type EventLog } from '../../src/types.js';
import { mulberry32 } from '../reference/random.js';

/**
 * Plays and skips of a few accounts on a few tracks over a few days (so cells fill), the columns
 * groupPlaybacks reads; `far` puts the days tens of thousands of years apart.
 */
function playbacks(n: number, users: number, tracks: number, days: number, seed: number, far = false): EventLog {
  const rng = mulberry32(seed);
  const user = Int32Array.from({ length: n }, () => Math.floor(rng() * users));
  const track = Int32Array.from({ length: n }, () => Math.floor(rng() * tracks));
  const dayStep = far ? 1e7 * DAY_MS : DAY_MS;
  const timestamp = Float64Array.from({ length: n }, () => Math.floor(rng() * days) * dayStep + Math.floor(rng() * DAY_MS) - (far ? 3 * dayStep : 0));
  const kind = Uint8Array.from({ length: n }, () => (rng() < 0.8 ? EVENT_CODE.play : EVENT_CODE.skip));
  const zeros = new Float32Array(n);
  return { length: n, user, track, timestamp, kind, msPlayed: zeros, users: { size: users }, tracks: { size: tracks } } as unknown as EventLog;
}

/** The reference: count each (user, track, UTC day) cell's plays in log order; skips neither count nor are capped. */
function referenceCapped(log: EventLog, cap: number): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  for (let e = 0; e < log.length; e++) {
    if (log.kind[e] !== EVENT_CODE.play) continue;
    const cell = `${log.user[e]}/${log.track[e]}/${Math.floor(log.timestamp[e] / DAY_MS)}`;
    const count = (seen.get(cell) ?? 0) + 1;
    seen.set(cell, count);
    if (count > cap) out.push(e);
  }
  return out;
}

function capped(log: EventLog, cap: number): { marked: number; events: number[] } {
  const all = Int32Array.from({ length: log.length }, (_, e) => e);
  const grouped = groupPlaybacks(log, all, { shortPlayWindowMs: [30_000, 35_000], typicalDurationMs: 200_000, fullPlayFraction: 0.8 });
  const marks = new Uint8Array(log.length);
  const marked = markCappedPlays(grouped, cap, marks);
  return { marked, events: Array.from(markedEvents(all, grouped.place, marks, marked)) };
}

describe('the daily cap on the accounts\' grouped playbacks', () => {
  it.each([
    ['a few accounts, tracks and days', 6, 4, 3, false],
    ['many accounts, one track, one day', 300, 1, 1, false],
    ['days far apart and before 1970', 5, 3, 4, true],
  ])('marks the plays beyond the cap in log order, with %s', (_, users, tracks, days, far) => {
    for (const [n, cap] of [[0, 1], [1, 1], [400, 1], [400, 3], [3000, 2], [3000, 20]]) {
      const log = playbacks(n, users, tracks, days, n + cap, far);
      const want = referenceCapped(log, cap);
      const got = capped(log, cap);
      expect(got.marked).toBe(want.length);
      expect(got.events).toEqual(want);
      if (n >= 400 && cap <= 3 && users <= 6) expect(want.length).toBeGreaterThan(0);
    }
  });

  it('counts an account with more plays than any before it in a grown table, and small ones after it', () => {
    // Account 0: 50 plays; account 1: 5,000 plays over 40 tracks in one day; account 2: 30 plays.
    const rows: [number, number][] = [];
    for (let i = 0; i < 50; i++) rows.push([0, i % 7]);
    for (let i = 0; i < 5000; i++) rows.push([1, i % 40]);
    for (let i = 0; i < 30; i++) rows.push([2, i % 2]);
    const n = rows.length;
    const log = {
      length: n,
      user: Int32Array.from(rows, (r) => r[0]),
      track: Int32Array.from(rows, (r) => r[1]),
      timestamp: Float64Array.from(rows, (_, i) => 1_700_000_000_000 + i),
      kind: new Uint8Array(n).fill(EVENT_CODE.play),
      msPlayed: new Float32Array(n),
      users: { size: 3 },
      tracks: { size: 40 },
    } as unknown as EventLog;
    for (const cap of [1, 7, 20]) expect(capped(log, cap).events).toEqual(referenceCapped(log, cap));
  });
});
