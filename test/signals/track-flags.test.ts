import { describe, expect, it } from 'vitest';
import { groupPlaybacks } from '../../src/signals/playbacks.js';
import { flagTracks, type FlaggedTrack, type TrackFlagOptions } from '../../src/signals/track-flags.js';
import { percent } from '../../src/signals/trust.js';
import { EVENT_CODE, EVENT_KINDS, type EventLog } from '../../src/types.js';
import { mulberry32 } from '../reference/random.js';
import { LogBuilder } from './make-log.js';

/** Plain reference: per track, its playbacks, those from accounts judged not human (and how many such accounts), and its capped plays. */
function referenceFlags(log: EventLog, trust: Float32Array, capped: Uint8Array, o: TrackFlagOptions): FlaggedTrack[] {
  const plays = new Map<number, number>();
  const low = new Map<number, number>();
  const lowUsers = new Map<number, Set<number>>();
  const cappedPlays = new Map<number, number>();
  const inc = (m: Map<number, number>, t: number): void => void m.set(t, (m.get(t) ?? 0) + 1);
  for (let e = 0; e < log.length; e++) {
    const k = log.kind[e];
    if (k !== EVENT_CODE.play && k !== EVENT_CODE.skip) continue;
    const t = log.track[e];
    inc(plays, t);
    if (capped[e]) inc(cappedPlays, t);
    if (trust[log.user[e]] < o.notHumanBelow) {
      inc(low, t);
      lowUsers.set(t, (lowUsers.get(t) ?? new Set()).add(log.user[e]));
    }
  }
  const out: FlaggedTrack[] = [];
  for (const [t, n] of [...plays].sort((a, b) => a[0] - b[0])) {
    if (n < o.minPlays) continue;
    const reasons: string[] = [];
    const l = low.get(t) ?? 0;
    const accounts = lowUsers.get(t)?.size ?? 0;
    if (l / n > o.shareAbove) reasons.push(`${percent(l / n)} of its ${n} plays come from ${accounts === 1 ? '1 account' : `${accounts} accounts`} judged not human`);
    const c = cappedPlays.get(t) ?? 0;
    if (c / n > o.shareAbove) reasons.push(`${percent(c / n)} of its ${n} plays exceed the cap of ${o.cap} plays per listener and day`);
    if (reasons.length > 0) out.push({ track: t, lowTrustPlays: l, reasons });
  }
  return out.sort((a, b) => b.lowTrustPlays - a.lowTrustPlays || a.track - b.track);
}

describe('flagTracks', () => {
  it('matches a plain per-event count on random logs, with and without accounts judged not human', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = mulberry32(seed);
      const b = new LogBuilder();
      const users = 40;
      for (let u = 0; u < users; u++) b.addUser(`u${u}`);
      const events = 3000;
      for (let i = 0; i < events; i++) {
        // A few tracks draw most events, so some pass minPlays and are dominated by bots.
        const t = rnd() < 0.6 ? Math.floor(rnd() * 5) : Math.floor(rnd() * 60);
        const kind = EVENT_KINDS[rnd() < 0.8 ? Math.floor(rnd() * 2) : Math.floor(rnd() * EVENT_KINDS.length)];
        b.add(`u${Math.floor(rnd() * users)}`, `t${t}`, 1_700_000_000_000 + i * 1000, kind, 30_000);
      }
      const log = b.build();
      const playbackEvents = Int32Array.from(Array.from({ length: log.length }, (_, e) => e).filter((e) => log.kind[e] === EVENT_CODE.play || log.kind[e] === EVENT_CODE.skip));
      const playbacks = groupPlaybacks(log, playbackEvents, { shortPlayWindowMs: [30_000, 35_000], typicalDurationMs: 200_000, fullPlayFraction: 0.8 });
      const capped = new Uint8Array(log.length);
      for (let e = 0; e < log.length; e++) if (log.kind[e] === EVENT_CODE.play && rnd() < (log.track[e] % 3 === 0 ? 0.7 : 0.05)) capped[e] = 1;
      const options: TrackFlagOptions = { notHumanBelow: 0.5, shareAbove: 0.3, minPlays: 10, cap: 20 };
      for (const share of [0, 0.2, 0.6]) {
        const trust = Float32Array.from({ length: log.users.size }, () => (rnd() < share ? rnd() * 0.5 : 0.5 + rnd() * 0.5));
        const cappedList = Int32Array.from(Array.from(capped.keys()).filter((e) => capped[e] === 1));
        const got = flagTracks(log, playbacks, trust, cappedList, options);
        expect(got).toEqual(referenceFlags(log, trust, capped, options));
        if (share > 0.5) expect(got.some((f) => f.lowTrustPlays > 0)).toBe(true);
      }
    }
  });
});
