import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, writeWorld } from '../../src/generate/index.js';
import { Model } from '../../src/model/model.js';

const bin = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');
let dir: string;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-catalog-'));
  await writeWorld(generateWorld({ users: 300, tracks: 1200, weeks: 3, seed: 11 }), dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('train --catalog and recommend --onboarding', () => {
  it('makes unplayed catalog tracks recommendable items with content-mapped factors', async () => {
    const t = run('train', '--interactions', 'events.csv', '--format', 'events', '--catalog', 'catalog.csv', '--factors', '8', '--iterations', '4', '--out', 'model', '--json');
    expect(t.stderr).toBe('');
    const summary = JSON.parse(t.stdout);
    expect(summary.items).toBe(1200);
    expect(summary.content.cold_tracks).toBeGreaterThan(0);
    const model = await Model.load(path.join(dir, 'model'));
    expect(model.data.content?.tracks.size).toBe(1200);
    const manifest = JSON.parse(await readFile(path.join(dir, 'model/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files)).toContain('content.bin');
    // Every cold track (no listens at all) has non-zero factors from the content map.
    const listened = new Uint8Array(model.trackIds.length);
    for (const i of model.data.seen.indices) listened[i] = 1;
    const k = model.factors;
    let cold = 0;
    for (let i = 0; i < listened.length; i++) {
      if (listened[i]) continue;
      cold++;
      const row = model.data.itemFactors.subarray(i * k, (i + 1) * k);
      expect(row.some((v) => v !== 0)).toBe(true);
    }
    expect(cold).toBeGreaterThan(0);
  });

  it('folds in onboarding users from artist and track picks', async () => {
    const truth = JSON.parse(await readFile(path.join(dir, 'truth.json'), 'utf8'));
    const picks = truth.users.slice(0, 2).flatMap((u: { id: string; onboardingArtists: string[] }) => u.onboardingArtists.map((a) => `newbie_${u.id},${a}`));
    await writeFile(path.join(dir, 'onboarding.csv'), ['user_id,item_id', ...picks, 'newbie_x,tr000001', 'newbie_nothing,unknown-id'].join('\n') + '\n');
    const r = run('recommend', '--model', 'model', '--onboarding', 'onboarding.csv', '--n', '5', '--out', 'recs.csv');
    expect(r.stderr).toMatch(/wrote top-5/);
    // Three users have known picks; the fourth's only pick is unknown and gets popularity.
    expect(r.stderr).toMatch(/onboarding: 3 users folded in from their picks, 1 by popularity/);
    const rows = (await readFile(path.join(dir, 'recs.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    const newbies = new Set(rows.filter((r) => r[0].startsWith('newbie_')).map((r) => r[0]));
    expect(newbies.size).toBe(4);
    expect(rows.filter((r) => r[0] === 'newbie_x').some((r) => r[2] === 'tr000001')).toBe(false);
  });

  it('serves new users without usable picks their region\'s popularity with --regions', async () => {
    const truth = JSON.parse(await readFile(path.join(dir, 'truth.json'), 'utf8')) as { users: { id: string; region: string }[] };
    const regionRows = truth.users.map((u) => `${u.id},${u.region}`);
    await writeFile(path.join(dir, 'regions.csv'), ['user_id,region', ...regionRows, 'newbie_as,AS', 'newbie_eu,EU'].join('\n') + '\n');
    await writeFile(path.join(dir, 'picks.csv'), ['user_id,item_id', 'newbie_as,unknown-id', 'newbie_eu,unknown-id', 'newbie_none,unknown-id'].join('\n') + '\n');
    const r = run('recommend', '--model', 'model', '--onboarding', 'picks.csv', '--regions', 'regions.csv', '--n', '30', '--out', 'regional.csv', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).onboarding).toEqual({ folded_in: 0, popularity: 3, regional_popularity: 2 });
    const rows = (await readFile(path.join(dir, 'regional.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
    const list = (u: string): string[] => rows.filter((x) => x[0] === u).map((x) => x[2]);
    // Each region's list leans to what that region's listeners play: its tracks have more listeners
    // in the region than the global list's.
    const model = await Model.load(path.join(dir, 'model'));
    const listenersIn = (region: string): Map<string, number> => {
      const count = new Map<string, number>();
      for (const u of truth.users) {
        const ui = u.region === region ? model.data.users.get(u.id) : undefined;
        if (ui !== undefined) for (const i of model.seenItems(ui)) count.set(model.trackIds[i], (count.get(model.trackIds[i]) ?? 0) + 1);
      }
      return count;
    };
    const mean = (ids: string[], count: Map<string, number>): number => ids.reduce((a, t) => a + (count.get(t) ?? 0), 0) / ids.length;
    for (const [user, region] of [['newbie_as', 'AS'], ['newbie_eu', 'EU']]) {
      const count = listenersIn(region);
      expect(list(user)).toHaveLength(30);
      console.log(`${region}: mean listeners in the region of its list ${mean(list(user), count).toFixed(1)}, of the global list ${mean(list('newbie_none'), count).toFixed(1)}`);
      expect(mean(list(user), count), region).toBeGreaterThan(mean(list('newbie_none'), count));
    }
    expect(list('newbie_as')).not.toEqual(list('newbie_eu'));
    const bad = run('recommend', '--model', 'model', '--regions', 'regions.csv', '--out', 'x.csv');
    expect(bad.stderr).toMatch(/--regions is used with --onboarding/);
  });

  it('weekly takes artists from the catalog the model was trained with when none is given', async () => {
    // Recent events without an artist_id column, and no --catalog: the saved content model knows the artists.
    const events = (await readFile(path.join(dir, 'events.csv'), 'utf8')).trim().split('\n');
    const header = events[0].split(',');
    const keep = ['user_id', 'track_id', 'timestamp', 'event', 'ms_played'].map((c) => header.indexOf(c));
    const recent = [keep.map((i) => header[i]).join(','), ...events.slice(-200).map((l) => keep.map((i) => l.split(',')[i]).join(','))];
    await writeFile(path.join(dir, 'recent-no-artist.csv'), recent.join('\n') + '\n');
    const asOf = events[events.length - 1].split(',')[header.indexOf('timestamp')];
    const r = run('weekly', '--model', 'model', '--events', 'recent-no-artist.csv', '--as-of', asOf, '--threads', '1', '--out', 'week.csv', '--json');
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.tracksWithoutArtist).toBe(0);
    expect(summary.exposure.artistsExposed).toBeGreaterThan(10);
  });

  it('weekly without --catalog builds the same playlists as with the catalog the model was trained with: titles, genres, release dates', async () => {
    const events = (await readFile(path.join(dir, 'events.csv'), 'utf8')).trim().split('\n');
    const asOf = events[events.length - 1].split(',')[events[0].split(',').indexOf('timestamp')];
    const args = ['weekly', '--model', 'model', '--events', 'recent-no-artist.csv', '--as-of', asOf, '--threads', '1', '--freshness', '0.5', '--max-genre-share', '0.4'];
    const withCatalog = run(...args, '--catalog', 'catalog.csv', '--out', 'with-catalog.csv');
    expect(withCatalog.status, withCatalog.stderr).toBe(0);
    const saved = run(...args, '--out', 'saved-catalog.csv');
    expect(saved.status, saved.stderr).toBe(0);
    const a = await readFile(path.join(dir, 'with-catalog.csv'), 'utf8');
    expect(await readFile(path.join(dir, 'saved-catalog.csv'), 'utf8')).toBe(a);
    // Reasons name tracks by title and artist, as the catalog has them.
    expect(a).toMatch(/because you played [A-Z][a-z]+ [A-Z][a-z]+ by ar\d+/);
  });

  it('Model.weeklyPlaylist without meta takes the saved catalog\'s artists, and takes asOf as a Date or ISO date', async () => {
    const model = await Model.load(path.join(dir, 'model'));
    const userId = model.data.users.ids[7];
    const day = '2026-03-02';
    const rows = await model.weeklyPlaylist(userId, { asOf: Date.parse(day) });
    expect(rows).toHaveLength(30);
    const content = model.data.content!.data;
    for (const r of rows) {
      expect(r.artistId).not.toBeNull();
      expect(r.artistId).toBe(content.artists.ids[content.trackArtist[content.tracks.get(r.trackId)!]]);
    }
    // The artist cap (default 2 per list) holds, so the artists were really in play.
    const perArtist = new Map<string, number>();
    for (const r of rows) perArtist.set(r.artistId!, (perArtist.get(r.artistId!) ?? 0) + 1);
    expect(Math.max(...perArtist.values())).toBeLessThanOrEqual(2);
    expect(await model.weeklyPlaylist(userId, { asOf: day })).toEqual(rows);
    expect(await model.weeklyPlaylist(userId, { asOf: new Date(day) })).toEqual(rows);
    await expect(model.weeklyPlaylist(userId, { asOf: 'next week' })).rejects.toThrow(/asOf must be epoch ms, a Date or an ISO-8601 date, got "next week"/);
  });
});
