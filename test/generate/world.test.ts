import { describe, expect, it } from 'vitest';
import { EVENT_CODE } from '../../src/types.js';
import { generateWorld, resolveOptions, worldToEventLog } from '../../src/generate/index.js';
import { SMALL, smallWorld } from './small-world.js';
import { bytesOf } from '../reference/shared.js';

const TINY = { users: 120, tracks: 800, weeks: 3, seed: 11, corruptRows: 16, bots: { share: 0.05, farms: 2, playsPerDay: 30 } };

describe('generateWorld determinism', () => {
  it('same seed ⇒ identical events and truth; another seed differs', () => {
    const a = generateWorld(TINY);
    const b = generateWorld(TINY);
    expect(a.events.length).toBe(b.events.length);
    for (const col of ['user', 'track', 'timestamp', 'kind', 'msPlayed', 'durationMs', 'artist', 'context', 'flaw', 'detail'] as const) {
      expect(Buffer.from(a.events[col].buffer).equals(Buffer.from(b.events[col].buffer))).toBe(true);
    }
    expect(JSON.stringify(a.truth)).toBe(JSON.stringify(b.truth));
    const c = generateWorld({ ...TINY, seed: 12 });
    expect(JSON.stringify(c.truth.users)).not.toBe(JSON.stringify(a.truth.users));
    expect(bytesOf(c.events.timestamp).equals(bytesOf(a.events.timestamp))).toBe(false);
  });

  it('adding bots leaves the planted state and listening of genuine users unchanged', () => {
    const withBots = generateWorld(TINY);
    const without = generateWorld({ ...TINY, bots: { share: 0 }, corruptRows: 0 });
    const a = withBots.population;
    const b = without.population;
    expect(b.genuine).toBe(a.genuine);
    expect(a.count).toBeGreaterThan(a.genuine);
    expect(bytesOf(b.mixStart).equals(Buffer.from(a.mixStart.buffer.slice(0, b.mixStart.byteLength)))).toBe(true);
    expect(Array.from(b.favTracks)).toEqual(Array.from(a.favTracks));
    // Same genuine events, in the same order (external ids are reshuffled, dense indices are not).
    const genuine = (w: typeof without): number[] => {
      const out: number[] = [];
      for (let i = 0; i < w.events.length; i++) {
        if (w.events.flaw[i] === 0 && w.population.farm[w.events.user[i]] < 0) out.push(w.events.user[i], w.events.track[i], w.events.timestamp[i]);
      }
      return out;
    };
    const ga = genuine(withBots);
    const gb = genuine(without);
    expect(ga.length).toBe(gb.length);
    expect(ga.every((x, i) => x === gb[i])).toBe(true);
  });
});

describe('world shape', () => {
  it('events are sorted by time, inside the period unless corrupt, with consistent columns', () => {
    const w = smallWorld();
    const e = w.events;
    expect(e.length).toBeGreaterThan(10_000);
    let unsorted = 0;
    for (let i = 1; i < e.length; i++) if (e.timestamp[i] < e.timestamp[i - 1]) unsorted++;
    expect(unsorted).toBe(0);
    let clean = 0;
    for (let i = 0; i < e.length; i++) {
      if (e.flaw[i] !== 0) continue;
      clean++;
      const t = e.track[i];
      if (!(e.timestamp[i] >= w.startMs && e.timestamp[i] < w.endMs)) throw new Error(`row ${i} outside the period`);
      if (e.artist[i] !== w.catalog.trackArtist[t] || e.durationMs[i] !== w.catalog.durationMs[t]) throw new Error(`row ${i} columns`);
      if (e.timestamp[i] < w.catalog.releaseMs[t]) throw new Error(`row ${i} played before its release`);
      const k = e.kind[i];
      if (k === EVENT_CODE.play || k === EVENT_CODE.skip) {
        if (!(e.msPlayed[i] > 0 && e.msPlayed[i] <= e.durationMs[i])) throw new Error(`row ${i} ms_played ${e.msPlayed[i]}`);
      } else if (!Number.isNaN(e.msPlayed[i])) throw new Error(`row ${i}: reactions carry no ms_played`);
      if (k === EVENT_CODE.other) throw new Error(`row ${i}: clean rows have known kinds`);
    }
    const log = worldToEventLog(w);
    expect(log.length).toBe(clean);
    expect(log.length).toBe(e.length - Object.values(w.truth.corrupt).reduce((s, n) => s + n, 0));
    for (let i = 0; i < log.length; i++) if (log.user[i] < 0 || log.track[i] < 0) throw new Error('clean log has a missing id');
    expect(log.users.size).toBe(SMALL.users! + Math.round(SMALL.bots!.share! * SMALL.users!));
  });

  it('truth lists every genuine user with planted taste, favourites and onboarding', () => {
    const w = smallWorld();
    const t = w.truth;
    expect(t.users.length).toBe(SMALL.users);
    expect(t.genres.length).toBe(20);
    for (const u of t.users) {
      const start = Object.values(u.taste.start);
      expect(start.length).toBeGreaterThanOrEqual(1);
      expect(start.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 1);
      expect(u.onboardingArtists).toEqual(u.favouriteArtists.slice(0, 3));
      expect(u.onboardingArtists.length).toBe(3);
      if (u.taste.driftGenre) expect(u.taste.end[u.taste.driftGenre]).toBeGreaterThan(0.3);
      else expect(u.taste.end).toEqual(u.taste.start);
    }
    expect(t.heavyListeners.length).toBe(Math.round(0.02 * (400 - 20 * 3)));
    expect(t.newUsers).toEqual([1, 2, 3].map((week) => ({ week, users: 20 })));
    expect(t.newReleases.map((r) => r.tracks)).toEqual([30, 30, 30, 30]);
    expect(t.newReleases[0].releaseDate).toBe('2026-01-09');
    expect(t.options).toEqual(resolveOptions(SMALL));
    const drifting = t.users.filter((u) => u.taste.driftGenre).length / t.users.length;
    expect(drifting).toBeGreaterThan(0.35);
    expect(drifting).toBeLessThan(0.65);
  });
});

describe('options', () => {
  it('rejects bad options with a message naming them', () => {
    expect(() => generateWorld({ users: 0 })).toThrow(/options\.users/);
    expect(() => generateWorld({ tracks: 2.5 })).toThrow(/options\.tracks/);
    expect(() => generateWorld({ start: 'yesterday' })).toThrow(/options\.start/);
    expect(() => generateWorld({ drift: 2 })).toThrow(/options\.drift/);
    expect(() => generateWorld({ users: 10, newUsersPerWeek: 5 })).toThrow(/newUsersPerWeek/);
    expect(() => generateWorld({ bots: { share: 0.1, styles: ['sleepy' as never] } })).toThrow(/bots\.styles/);
    expect(() => generateWorld({ bots: { disguise: [0.7, 0.2] } })).toThrow(/bots\.disguise/);
    expect(() => generateWorld({ artists: 10, tracks: 5 })).toThrow(/options\.artists/);
  });

  it('defaults follow the documented values', () => {
    const o = resolveOptions();
    expect(o).toMatchObject({ users: 5000, tracks: 20000, weeks: 8, seed: 42, genres: 20, artists: 2500, start: '2026-01-05' });
    expect(o.bots.share).toBe(0);
    expect(o.heavyShare).toBe(0.01);
    expect(o.corruptRows).toBe(0);
  });
});
