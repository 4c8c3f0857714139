import { describe, expect, it } from 'vitest';
import { EVENT_CODE } from '../../src/types.js';
import { smallWorld } from './small-world.js';
import { resolveOptions } from '../../src/generate/options.js';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

describe('bot farms', () => {
  it('truth lists every bot account once, with a farm, style and low-popularity targets', () => {
    const w = smallWorld();
    const farms = w.truth.bots.farms;
    expect(farms.map((f) => f.style).sort()).toEqual(['around_the_clock', 'disguised', 'shifts']);
    const accounts = farms.flatMap((f) => f.accounts);
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(accounts.length).toBe(w.truth.bots.accounts);
    expect(accounts.length).toBe(20);
    const genuineIds = new Set(w.truth.users.map((u) => u.id));
    expect(accounts.some((a) => genuineIds.has(a))).toBe(false);
    const pop = Array.from(w.catalog.popularity).sort((a, b) => a - b);
    const median = pop[Math.floor(pop.length / 2)];
    for (const f of farms) {
      for (const id of f.targets) expect(w.catalog.popularity[w.catalog.tracks.get(id)!]).toBeLessThanOrEqual(median);
    }
  });

  it('refuses more farms than bot accounts rather than making fewer', () => {
    expect(resolveOptions({ users: 100, bots: { share: 0.05, farms: 5 } }).bots.farms).toBe(5);
    expect(() => resolveOptions({ users: 100, bots: { share: 0.05, farms: 6 } })).toThrow('generateWorld: options.bots.farms is 6, more than the 5 bot accounts (bots.share 0.05 × 100 users); a farm needs at least one');
    expect(() => resolveOptions({ users: 100, bots: { farms: 2 } })).toThrow('more than the 0 bot accounts');
    // Unasked, the number of farms follows the accounts.
    expect(resolveOptions({ users: 100, bots: { share: 0.02 } }).bots.farms).toBe(2);
  });

  it('bots stream their targets for about 31 s, each style with its own rhythm', () => {
    const w = smallWorld();
    const e = w.events;
    for (const [f, farm] of w.truth.bots.farms.entries()) {
      const targets = new Set(farm.targets.map((id) => w.catalog.tracks.get(id)!));
      let targetPlays = 0;
      let filler = 0;
      let off = 0;
      let bad = 0;
      const hours = new Set<number>();
      // Activity segments per account: streams separated by less than 6 h belong to one segment.
      const last = new Map<number, number>();
      const segStart = new Map<number, number>();
      let longest = 0;
      let longestGap = 0;
      for (let i = 0; i < e.length; i++) {
        if (e.flaw[i] !== 0 || w.population.farm[e.user[i]] !== f) continue;
        if (e.kind[i] !== EVENT_CODE.play || e.timestamp[i] < w.startMs + farm.startWeek * 7 * DAY) bad++;
        if (targets.has(e.track[i])) {
          targetPlays++;
          if (!(e.msPlayed[i] >= 30000 && e.msPlayed[i] <= 34000)) off++;
        } else {
          filler++;
          if (e.msPlayed[i] !== e.durationMs[i]) bad++;
        }
        hours.add(new Date(e.timestamp[i]).getUTCHours());
        const u = e.user[i];
        const prev = last.get(u);
        if (prev !== undefined) longestGap = Math.max(longestGap, e.timestamp[i] - prev);
        if (prev === undefined || e.timestamp[i] - prev >= 6 * HOUR) segStart.set(u, e.timestamp[i]);
        last.set(u, e.timestamp[i]);
        longest = Math.max(longest, e.timestamp[i] - segStart.get(u)!);
      }
      expect(targetPlays).toBeGreaterThan(100);
      expect(off).toBe(0);
      expect(bad).toBe(0);
      const fillerShare = filler / (filler + targetPlays);
      if (farm.style === 'disguised') {
        expect(fillerShare).toBeGreaterThan(0.25);
        expect(fillerShare).toBeLessThan(0.65);
        expect(farm.fillerShare).toEqual([0.3, 0.6]);
      } else {
        expect(filler).toBe(0);
        expect(farm.fillerShare).toBeNull();
      }
      if (farm.style === 'around_the_clock') expect(hours.size).toBe(24);
      if (farm.style === 'shifts') {
        expect(longest).toBeLessThan(15 * HOUR);
        expect(longest).toBeGreaterThan(8 * HOUR);
        expect(hours.size).toBeLessThanOrEqual(16);
        expect(farm.shiftStartHourUtc).not.toBeNull();
      } else expect(farm.shiftStartHourUtc).toBeNull();
      // Humans sleep at least 5 h a day; these bots never pause that long.
      if (farm.style === 'around_the_clock') expect(longestGap).toBeLessThan(5 * HOUR);
    }
  });
});
