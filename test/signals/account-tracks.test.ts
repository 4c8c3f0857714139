import { describe, expect, it } from 'vitest';
import { accountFeatures, type AccountFeatureOptions } from '../../src/signals/anomaly.js';
import type { AccountPlaybacks } from '../../src/signals/playbacks.js';
import { mulberry32 } from '../reference/random.js';

const options: AccountFeatureOptions = { shortPlayWindowMs: [30_000, 35_000], sessionGapMs: 1_800_000, typicalDurationMs: 200_000, fullPlayFraction: 0.8 };

/** Plain reference of the track features: plays per track with a Map, per account. */
function reference(p: AccountPlaybacks, u: number): { top: number; distinct: number; looped: number } {
  const per = new Map<number, { count: number; finished: boolean }>();
  for (let e = p.ptr[u]; e < p.ptr[u + 1]; e++) {
    const ms = p.msPlayed[e];
    const d = p.durationMs ? p.durationMs[e] : Number.NaN;
    const finished = Number.isNaN(ms) || ms >= options.fullPlayFraction * (d > 0 && Number.isFinite(d) ? d : options.typicalDurationMs);
    const s = per.get(p.track[e]) ?? { count: 0, finished: false };
    per.set(p.track[e], { count: s.count + 1, finished: s.finished || finished });
  }
  let top = 0;
  let looped = 0;
  for (const { count, finished } of per.values()) {
    top = Math.max(top, count);
    if (count >= 5 && !finished) looped += count;
  }
  return { top, distinct: per.size, looped };
}

describe('account track features', () => {
  it('match a plain per-track count: top track share, distinct ratio and unfinished loops', () => {
    for (const seed of [1, 2, 3]) {
      const rnd = mulberry32(seed);
      const users = 60;
      const sizes = Array.from({ length: users }, (_, u) => (u % 10 === 0 ? 0 : u % 7 === 0 ? 1 : Math.floor(rnd() * 80)));
      const ptr = new Int32Array(users + 1);
      sizes.forEach((n, u) => (ptr[u + 1] = ptr[u] + n));
      const total = ptr[users];
      const track = new Int32Array(total);
      const msPlayed = new Float32Array(total);
      const durationMs = new Float32Array(total);
      const timestamp = new Float64Array(total);
      for (let u = 0; u < users; u++) {
        // Every third account loops: it replays a few tracks and cuts nearly every play short.
        const loops = u % 3 === 0;
        for (let e = ptr[u]; e < ptr[u + 1]; e++) {
          track[e] = loops || rnd() < 0.5 ? Math.floor(rnd() * 4) : Math.floor(rnd() * 200);
          msPlayed[e] = rnd() < 0.1 ? Number.NaN : loops || rnd() < 0.6 ? (rnd() < 0.97 ? 31_000 : 190_000) : 190_000;
          durationMs[e] = rnd() < 0.2 ? Number.NaN : 200_000;
          timestamp[e] = 1_700_000_000_000 + e * 60_000;
        }
      }
      const playbacks: AccountPlaybacks = { ptr, track, msPlayed, durationMs, timestamp };
      const f = accountFeatures(playbacks, options);
      for (let u = 0; u < users; u++) {
        const n = sizes[u];
        expect(f.plays[u]).toBe(n);
        if (n === 0) {
          expect(f.values.topTrackShare[u]).toBeNaN();
          continue;
        }
        const r = reference(playbacks, u);
        expect(f.values.topTrackShare[u]).toBe(r.top / n);
        expect(f.values.distinctTrackRatio[u]).toBe(r.distinct / n);
        expect(f.values.unfinishedLoopShare[u]).toBe(r.looped / n);
      }
      expect(sizes.some((n, u) => n > 0 && f.values.unfinishedLoopShare[u] > 0)).toBe(true);
    }
  });
});
