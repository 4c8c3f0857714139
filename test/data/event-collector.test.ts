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

  it('appends another collector range of events as if they had been pushed, ids mapped, lines shifted, duplicates across ranges found', async () => {
    // Several chunks of the copy (the last one short), unknown kinds in both ranges, and optional ids without a value.
    const input = events(600_000, 5).map((e, i) => ({ ...e, a: i % 11 === 0 ? -1 : e.a }));
    const cut = 123_457;
    const report = (): ReportBuilder => new ReportBuilder('events', 'csv', 'line', EVENT_RULES, false, false);
    const whole = new EventCollector(rules, all, 16, true, false);
    const own = new EventCollector(rules, all, 16, true, false);
    const range = new EventCollector(rules, all, 16, true, true);
    // The range numbers its ids (and lines) its own way: reversed, and from 1.
    const flip = (v: number, m: number): number => (v < 0 ? v : m - 1 - v);
    input.forEach((e, i) => {
      whole.push(e.u, e.t, e.ts, e.kind, e.ms, e.dur, e.a, e.c, i + 2);
      if (i % 1000 === 0) whole.unknownKind(report(), `k${i}`, i + 2);
      if (i < cut) {
        own.push(e.u, e.t, e.ts, e.kind, e.ms, e.dur, e.a, e.c, i + 2);
        if (i % 1000 === 0) own.unknownKind(report(), `k${i}`, i + 2);
      } else {
        range.push(flip(e.u, 5), flip(e.t, 6), e.ts, e.kind, e.ms, e.dur, flip(e.a, 7), flip(e.c, 3), i - cut + 1);
        if (i % 1000 === 0) range.unknownKind(report(), `k${i}`, i - cut + 1);
      }
    });
    const map = (m: number): Int32Array => Int32Array.from({ length: m }, (_, v) => m - 1 - v);
    const collected = range.collected();
    own.appendRange(collected, { user: map(5), track: map(6), artist: map(7), context: map(3) }, cut + 1, 100_000);
    // The range is spent: its pages went back (they read as zeros where whole pages were released).
    if (process.platform === 'linux') expect(collected.timestamp.subarray(1 << 12, 1 << 16).every((v) => v === 0)).toBe(true);
    const rWhole = report();
    const rOwn = report();
    rWhole.rowsKept = rOwn.rowsKept = input.length;
    await whole.settle(rWhole);
    await own.settle(rOwn);
    expect(rOwn.finish().validation).toEqual(rWhole.finish().validation);
    expect(rOwn.finish().examples).toEqual(rWhole.finish().examples);
    expect(rOwn.finish().unknownKinds).toEqual(rWhole.finish().unknownKinds);
    const a = own.finish(new Dictionary(), new Dictionary(), new Dictionary(), new Dictionary());
    const b = whole.finish(new Dictionary(), new Dictionary(), new Dictionary(), new Dictionary());
    expect(a.length).toBe(b.length);
    for (const k of ['user', 'track', 'timestamp', 'kind', 'msPlayed', 'durationMs', 'artist', 'context'] as const) {
      expect(Buffer.from(a[k]!.buffer, a[k]!.byteOffset, a[k]!.byteLength).equals(Buffer.from(b[k]!.buffer, b[k]!.byteOffset, b[k]!.byteLength)), k).toBe(true);
    }
    const eager = new EventCollector(rules, all, 16, false, false);
    expect(() => eager.appendRange(collected, { user: map(5), track: map(6), artist: map(7), context: map(3) }, 0)).toThrow(/only a deferred collector/);
    const fewer = new EventCollector(rules, { duration: true, artist: false, context: true }, 16, true, false);
    expect(() => fewer.appendRange(collected, { user: map(5), track: map(6), artist: undefined, context: map(3) }, 0)).toThrow(/different columns/);
  });
});
