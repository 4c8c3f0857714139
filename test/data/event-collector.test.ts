import { describe, expect, it } from 'vitest';
import { Dictionary } from '../../src/data/dictionary.js';
import { EventCollector } from '../../src/data/event-collector.js';
import { ReportBuilder, EVENT_RULES } from '../../src/data/ingest-report.js';
import { Rng } from '../../src/generate/rng.js';

const rules = { minEpochMs: 0, durationToleranceMs: 1000 };
const all = { duration: true, artist: true, context: true };

/** n events with small value ranges, so some repeat an earlier event. */
function events(n: number, seed: number) {
  const rng = new Rng(seed);
  const int = (m: number): number => Math.floor(rng.float() * m);
  return Array.from({ length: n }, () => ({ u: int(5), t: int(6), ts: 1e12 + int(4) * 1000, kind: int(2), ms: int(9e4), dur: 9e4 + int(1000), a: int(7), c: int(3) }));
}

describe('EventCollector', () => {
  it('keeps every column of every event across many doublings of its capacity, in both modes and both memories', async () => {
    const input = events(5000, 3);
    for (const [deferred, shared] of [[false, false], [true, false], [false, true], [true, true]]) {
      const c = new EventCollector(rules, all, 16, deferred, shared);
      const kept: typeof input = [];
      const seen = new Set<string>();
      input.forEach((e, i) => {
        const stored = c.push(e.u, e.t, e.ts, e.kind, e.ms, e.dur, e.a, e.c, i + 1);
        const key = `${e.u}|${e.t}|${e.ts}|${e.kind}`;
        expect(stored).toBe(deferred || !seen.has(key));
        if (!seen.has(key)) kept.push(e);
        seen.add(key);
      });
      const report = new ReportBuilder('events', 'csv', 'line', EVENT_RULES, false, false);
      report.rowsKept = input.length;
      await c.settle(report);
      const log = c.finish(new Dictionary(), new Dictionary(), new Dictionary(), new Dictionary());
      expect(log.length, `deferred ${deferred}`).toBe(kept.length);
      expect([...log.user]).toEqual(kept.map((e) => e.u));
      expect([...log.track]).toEqual(kept.map((e) => e.t));
      expect([...log.timestamp]).toEqual(kept.map((e) => e.ts));
      expect([...log.kind]).toEqual(kept.map((e) => e.kind));
      expect([...log.msPlayed]).toEqual(kept.map((e) => e.ms));
      expect([...log.durationMs!]).toEqual(kept.map((e) => e.dur));
      expect([...log.artist!]).toEqual(kept.map((e) => e.a));
      expect([...log.context!]).toEqual(kept.map((e) => e.c));
      if (deferred) expect(report.rowsKept).toBe(kept.length);
      for (const col of [log.user, log.track, log.timestamp, log.kind, log.msPlayed, log.durationMs!, log.artist!, log.context!]) {
        expect(col.buffer instanceof SharedArrayBuffer, `deferred ${deferred}, shared ${shared}`).toBe(shared);
      }
    }
  });

  it('trims shared columns into shared memory, by a view when nearly full and by a copy otherwise', async () => {
    for (const [hint, n] of [[1000, 990], [1000, 10], [1000, 0]]) {
      const c = new EventCollector(rules, all, hint, true, true);
      for (let i = 0; i < n; i++) c.push(i % 7, i % 5, 1e12 + i, 0, 1000, 2000, i % 3, i % 2, i + 1);
      await c.settle(new ReportBuilder('events', 'csv', 'line', EVENT_RULES, false, false));
      const log = c.finish(new Dictionary(), new Dictionary(), new Dictionary(), new Dictionary());
      expect(log.length).toBe(n);
      for (const col of [log.user, log.timestamp, log.kind, log.msPlayed, log.context!]) {
        expect(col.length).toBe(n);
        expect(col.buffer).toBeInstanceOf(SharedArrayBuffer);
      }
      // A copy leaves the capacity behind; a view keeps it.
      expect(log.user.buffer.byteLength >= 4 * hint, `hint ${hint}, ${n} events`).toBe(n >= hint - (hint >> 3));
      expect([...log.timestamp]).toEqual(Array.from({ length: n }, (_, i) => 1e12 + i));
    }
  });
});
