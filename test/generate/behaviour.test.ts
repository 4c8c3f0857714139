import { describe, expect, it } from 'vitest';
import { EVENT_CODE } from '../../src/types.js';
import { expectedFullPlayRate, plantedAffinity, skipProbability } from '../../src/generate/index.js';
import { smallWorld } from './small-world.js';

const WEEK = 7 * 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

/** Rows of genuine (non-bot), clean play or skip events: the tracks served to real listeners. */
function servedRows(): number[] {
  const w = smallWorld();
  const e = w.events;
  const rows: number[] = [];
  for (let i = 0; i < e.length; i++) {
    if (e.flaw[i] !== 0 || w.population.farm[e.user[i]] >= 0) continue;
    if (e.kind[i] === EVENT_CODE.play || e.kind[i] === EVENT_CODE.skip) rows.push(i);
  }
  return rows;
}

describe('planted structure of the listening', () => {
  it('popularity is heavy-tailed: the top 1% of tracks get a large share of plays', () => {
    const w = smallWorld();
    const counts = new Float64Array(w.catalog.tracks.size);
    let plays = 0;
    for (const i of servedRows()) {
      if (w.events.kind[i] !== EVENT_CODE.play) continue;
      counts[w.events.track[i]]++;
      plays++;
    }
    const sorted = Array.from(counts).sort((a, b) => b - a);
    const top = sorted.slice(0, Math.ceil(sorted.length / 100)).reduce((s, x) => s + x, 0);
    expect(top / plays).toBeGreaterThan(0.12); // 10× their uniform share
    const median = sorted[Math.floor(sorted.length / 2)];
    expect(sorted[0]).toBeGreaterThan(50 * Math.max(1, median));
  });

  it("users' plays concentrate on their planted genres", () => {
    const w = smallWorld();
    const { population: p, catalog: c } = w;
    const G = c.genres.length;
    let inTaste = 0;
    let plays = 0;
    for (const i of servedRows()) {
      if (w.events.kind[i] !== EVENT_CODE.play) continue;
      const u = w.events.user[i];
      const g = c.trackGenre[w.events.track[i]];
      const g2 = c.trackGenre2[w.events.track[i]];
      const planted = (x: number): boolean => x >= 0 && (p.mixStart[u * G + x] > 0 || p.mixEnd[u * G + x] > 0);
      if (planted(g) || planted(g2)) inTaste++;
      plays++;
    }
    // Users hold 1–4 of 20 genres; only exploration (≈8%) leaves them.
    expect(inTaste / plays).toBeGreaterThan(0.85);
  });

  it('drifting users move toward their drift genre in later weeks', () => {
    const w = smallWorld();
    const { population: p, catalog: c } = w;
    const share = [0, 0];
    const total = [0, 0];
    for (const i of servedRows()) {
      const u = w.events.user[i];
      const d = p.driftGenre[u];
      if (d < 0) continue;
      const week = Math.floor((w.events.timestamp[i] - w.startMs) / WEEK);
      const half = week === 0 ? 0 : week === w.options.weeks - 1 ? 1 : -1;
      if (half < 0) continue;
      total[half]++;
      if (c.trackGenre[w.events.track[i]] === d) share[half]++;
    }
    // Replayed favourites and favourite artists keep pulling toward the old taste, so the shift is partial.
    expect(share[0] / total[0]).toBeLessThan(0.08);
    expect(share[1] / total[1]).toBeGreaterThan(0.15);
    expect(share[1] / total[1]).toBeGreaterThan(3 * (share[0] / total[0]));
  });

  it('skips follow the planted skip probability and are likelier on mismatched tracks', () => {
    const w = smallWorld();
    const e = w.events;
    const bins = [
      [0, 0],
      [0, 0],
    ];
    let expected = 0;
    let observed = 0;
    const rows = servedRows();
    for (const i of rows) {
      const week = Math.floor((e.timestamp[i] - w.startMs) / WEEK);
      const a = plantedAffinity(w, e.user[i], e.track[i], week);
      const skipped = e.kind[i] === EVENT_CODE.skip ? 1 : 0;
      expected += skipProbability(w, e.user[i], e.track[i], week);
      observed += skipped;
      if (a < 0.2) {
        bins[0][0] += skipped;
        bins[0][1]++;
      } else if (a > 0.8) {
        bins[1][0] += skipped;
        bins[1][1]++;
      }
    }
    expect(bins[0][1]).toBeGreaterThan(500);
    const mismatched = bins[0][0] / bins[0][1];
    const matched = bins[1][0] / bins[1][1];
    expect(mismatched).toBeGreaterThan(0.5);
    expect(matched).toBeLessThan(0.12);
    // The planted function is the generating model: observed skip rate matches its mean.
    expect(Math.abs(observed / rows.length - expected / rows.length)).toBeLessThan(0.01);
    const u = e.user[rows[0]];
    const t = e.track[rows[0]];
    expect(expectedFullPlayRate(w, u, t, 1)).toBeCloseTo(1 - skipProbability(w, u, t, 1), 12);
    expect(() => skipProbability(w, -1, t, 0)).toThrow(/user index/);
    expect(() => plantedAffinity(w, u, w.catalog.tracks.size, 0)).toThrow(/track index/);
  });

  it('users replay favourite tracks', () => {
    const w = smallWorld();
    const perUserTrack = new Map<number, number>();
    let repeats = 0;
    let plays = 0;
    for (const i of servedRows()) {
      if (w.events.kind[i] !== EVENT_CODE.play) continue;
      const key = w.events.user[i] * w.catalog.tracks.size + w.events.track[i];
      const n = perUserTrack.get(key) ?? 0;
      if (n > 0) repeats++;
      perUserTrack.set(key, n + 1);
      plays++;
    }
    expect(repeats / plays).toBeGreaterThan(0.3);
  });
});

describe('heavy listeners, new users and new releases', () => {
  it('heavy listeners are the top activity percentile and still sleep', () => {
    const w = smallWorld();
    const { population: p } = w;
    const perUser = new Float64Array(p.genuine);
    const asleep = new Float64Array(p.genuine);
    for (const i of servedRows()) {
      const u = w.events.user[i];
      perUser[u]++;
      const off = [-5, -3, 1, 1, 8, 10][p.region[u]];
      const local = (((w.events.timestamp[i] + off * HOUR) % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR) / HOUR;
      if (local >= 2 && local < 7) asleep[u]++;
    }
    const heavy: number[] = [];
    const others: number[] = [];
    for (let u = 0; u < p.genuine; u++) (p.heavy[u] ? heavy : others).push(perUser[u]);
    expect(heavy.length).toBeGreaterThan(0);
    others.sort((a, b) => a - b);
    const p98 = others[Math.floor(others.length * 0.98)];
    expect(Math.min(...heavy)).toBeGreaterThan(p98);
    let heavyAsleep = 0;
    for (let u = 0; u < p.genuine; u++) if (p.heavy[u]) heavyAsleep += asleep[u];
    expect(heavyAsleep).toBe(0);
    expect(w.truth.heavyListeners.sort()).toEqual(w.truth.users.filter((x) => x.heavy).map((x) => x.id).sort());
  });

  it('new users join in later weeks, never listen before joining, and some barely listen', () => {
    const w = smallWorld();
    const { population: p } = w;
    const first = new Float64Array(p.count).fill(Infinity);
    const count = new Int32Array(p.count);
    const e = w.events;
    for (let i = 0; i < e.length; i++) {
      if (e.flaw[i] !== 0) continue;
      first[e.user[i]] = Math.min(first[e.user[i]], e.timestamp[i]);
      count[e.user[i]]++;
    }
    let later = 0;
    let active = 0;
    const trierCounts: number[] = [];
    for (let u = 0; u < p.genuine; u++) {
      if (p.joinWeek[u] === 0) continue;
      later++;
      expect(first[u] >= p.joinMs[u]).toBe(true);
      if (count[u] > 0) {
        active++;
        expect(Math.floor((first[u] - w.startMs) / WEEK)).toBeGreaterThanOrEqual(p.joinWeek[u]);
      }
      if (p.trier[u]) trierCounts.push(count[u]);
    }
    expect(later).toBe(60);
    expect(active).toBeGreaterThan(50);
    expect(trierCounts.length).toBeGreaterThan(5);
    expect(Math.max(...trierCounts)).toBeLessThanOrEqual(20);
  });

  it('new releases are played only after release, and appear in later weeks', () => {
    const w = smallWorld();
    const { catalog: c } = w;
    const playsByReleaseWeek = new Int32Array(w.options.weeks);
    let early = 0;
    for (const i of servedRows()) {
      const t = w.events.track[i];
      const rw = c.releaseWeek[t];
      if (rw < 0) continue;
      if (w.events.timestamp[i] < c.releaseMs[t]) early++;
      playsByReleaseWeek[rw]++;
    }
    expect(early).toBe(0);
    expect(Array.from(playsByReleaseWeek).every((n) => n > 0)).toBe(true);
    const newTag = c.trackTags.filter((bits, t) => c.releaseWeek[t] >= 0).length;
    expect(newTag).toBe(30 * w.options.weeks);
  });
});
