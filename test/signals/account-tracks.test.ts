import { describe, expect, it } from 'vitest';
import { accountFeatures, type AccountFeatureOptions } from '../../src/signals/anomaly.js';
import { playbackFlags, type AccountPlaybacks } from '../../src/signals/playbacks.js';
import { EVENT_CODE } from '../../src/types.js';
import { mulberry32 } from '../reference/random.js';

const options: AccountFeatureOptions = { shortPlayWindowMs: [30_000, 35_000], sessionGapMs: 1_800_000, typicalDurationMs: 200_000, fullPlayFraction: 0.8 };

/** Ms played and track lengths beside the playbacks, for the references. */
interface Heard {
  msPlayed: Float32Array;
  durationMs: Float32Array | null;
}

/** The playbacks' flags from ms played and lengths, as groupPlaybacks makes them (all plays). */
function flagsOf(h: Heard): Uint8Array {
  return Uint8Array.from(h.msPlayed, (ms, e) => playbackFlags(EVENT_CODE.play, ms, h.durationMs ? h.durationMs[e] : Number.NaN, options));
}

/** Plain reference of the track features: plays per track with a Map, per account. */
function reference(p: AccountPlaybacks, h: Heard, u: number): { top: number; distinct: number; looped: number } {
  const per = new Map<number, { count: number; finished: boolean }>();
  for (let e = p.ptr[u]; e < p.ptr[u + 1]; e++) {
    const ms = h.msPlayed[e];
    const d = h.durationMs ? h.durationMs[e] : Number.NaN;
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

describe('playback flags', () => {
  it('tell plays from skips and whether ms played is known, short, or a full play, by hand', () => {
    const { play, skip } = EVENT_CODE;
    const cases: [number, number, number, number][] = [
      [skip, Number.NaN, 200_000, 0],
      [play, Number.NaN, 200_000, 1],
      [play, 31_000, 200_000, 1 | 2 | 4],
      [play, 30_000, 200_000, 1 | 2 | 4], // the short window includes its start
      [play, 35_000, 40_000, 1 | 2 | 8], // and not its end; 35 s of 40 s is a full play (0.8)
      [skip, 190_000, Number.NaN, 2 | 8], // no length: the typical 200 s
      [play, 100, 0, 1 | 2],
      [play, 160_000, Number.POSITIVE_INFINITY, 1 | 2 | 8],
      [play, 159_999, Number.POSITIVE_INFINITY, 1 | 2],
    ];
    for (const [kind, ms, d, want] of cases) expect(playbackFlags(kind, ms, d, options), `${kind} ${ms} ${d}`).toBe(want);
  });
});

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
      const playbacks: AccountPlaybacks = { ptr, track, flags: flagsOf({ msPlayed, durationMs }), timestamp };
      const f = accountFeatures(playbacks, options);
      for (let u = 0; u < users; u++) {
        const n = sizes[u];
        expect(f.plays[u]).toBe(n);
        if (n === 0) {
          expect(f.values.topTrackShare[u]).toBeNaN();
          continue;
        }
        const r = reference(playbacks, { msPlayed, durationMs }, u);
        expect(f.values.topTrackShare[u]).toBe(r.top / n);
        expect(f.values.distinctTrackRatio[u]).toBe(r.distinct / n);
        expect(f.values.unfinishedLoopShare[u]).toBe(r.looped / n);
      }
      expect(sizes.some((n, u) => n > 0 && f.values.unfinishedLoopShare[u] > 0)).toBe(true);
    }
  });

  it('gap regularity matches 1.4826 × MAD / median of the in-session gaps of a sorted copy', () => {
    const sortedMedian = (xs: number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    };
    const rnd = mulberry32(12);
    const users = 80;
    const sizes = Array.from({ length: users }, (_, u) => (u % 9 === 0 ? 11 : Math.floor(rnd() * 120)));
    const ptr = new Int32Array(users + 1);
    sizes.forEach((n, u) => (ptr[u + 1] = ptr[u] + n));
    const total = ptr[users];
    const timestamp = new Float64Array(total);
    for (let u = 0; u < users; u++) {
      // Metronomic, human and mixed gaps; some repeated times (gap 0) and some past the session gap.
      let t = 1_700_000_000_000 + u * 1e9;
      for (let e = ptr[u]; e < ptr[u + 1]; e++) {
        const r = rnd();
        t += r < 0.1 ? 0 : r < 0.2 ? 3_600_000 : u % 4 === 0 ? 31_000 + Math.floor(rnd() * 3) * 1000 : Math.floor(rnd() * 400_000);
        timestamp[e] = t;
      }
      // Shuffle some accounts' rows so the features must order the times themselves.
      if (u % 5 === 0) timestamp.subarray(ptr[u], ptr[u + 1]).reverse();
    }
    const none = new Float32Array(total).fill(Number.NaN);
    const playbacks: AccountPlaybacks = { ptr, track: new Int32Array(total), flags: flagsOf({ msPlayed: none, durationMs: null }), timestamp };
    const f = accountFeatures(playbacks, options);
    let defined = 0;
    for (let u = 0; u < users; u++) {
      const times = Array.from(timestamp.subarray(ptr[u], ptr[u + 1])).sort((a, b) => a - b);
      const gaps: number[] = [];
      for (let i = 1; i < times.length; i++) {
        const g = times[i] - times[i - 1];
        if (g > 0 && g <= options.sessionGapMs) gaps.push(g);
      }
      if (gaps.length < 10) {
        expect(f.values.gapRegularity[u], `account ${u}`).toBeNaN();
        continue;
      }
      defined++;
      const med = sortedMedian(gaps);
      const mad = sortedMedian(gaps.map((g) => Math.abs(g - med)));
      expect(f.values.gapRegularity[u], `account ${u}`).toBe((1.4826 * mad) / med);
    }
    expect(defined).toBeGreaterThan(users / 2);
  });
});
