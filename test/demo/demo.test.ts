import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/demo.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mixtape demo (the embedded default)', () => {
  it('runs the weekly job for every user, shows playlists with reasons and scores them against the last week', async () => {
    const lines: string[] = [];
    const out = path.join(dir, 'week.csv');
    const r = await runDemo({ users: 500, tracks: 2500, weeks: 5, seed: 3, factors: 16, iterations: 6, threads: 2, show: 2, out, log: (l) => lines.push(l) });
    expect(r.weekly.playlists).toBe(r.users);
    expect(r.weekly.short).toBe(0);
    expect(r.weekly.rows).toBe(r.users * 30);
    // Two users on show, ten tracks each, every one with a reason.
    const shown = lines.filter((l) => /^ {3}[ \d]\d\. /.test(l));
    expect(shown).toHaveLength(20);
    for (const l of shown) expect(l).toMatch(/ · (because you played|a discovery|picked for your taste|new release)/);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('user_id,week,position,track_id,artist_id,score,reason');
    expect(csv).toHaveLength(r.users * 30 + 1);
    const { weekly, als, mostPopular } = r.holdout;
    expect(r.holdout.users).toBeGreaterThan(100);
    for (const f of [weekly, als, mostPopular]) {
      expect(f.recall).toBeGreaterThan(0);
      expect(f.plantedFullPlayRate).toBeGreaterThan(0);
      expect(f.plantedFullPlayRate).toBeLessThanOrEqual(1);
    }
    // The artist cap spreads the playlists over more artists than plain top-30; both fit the
    // planted taste far better than most-popular.
    expect(weekly.artistsPerList).toBeGreaterThan(als.artistsPerList);
    expect(weekly.artistsPerList).toBeGreaterThanOrEqual(15);
    expect(weekly.plantedFullPlayRate).toBeGreaterThan(mostPopular.plantedFullPlayRate + 0.2);
    expect(weekly.recall).toBeGreaterThan(mostPopular.recall);
  }, 120_000);
});
