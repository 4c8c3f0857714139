/**
 * Listeners without taste evidence (an account emptied by the signals stage, one with skips
 * alone): the weekly job scores them with the model's average listener instead of their own
 * zero factors, which rank every track alike.
 */
import { describe, expect, it } from 'vitest';
import { averageTaste } from '../../src/model/average-taste.js';
import { runWeeklyJob } from '../../src/playlist/job.js';
import { buildTables } from '../../src/playlist/prepare.js';
import { formatReason } from '../../src/playlist/reasons.js';
import type { ShardResult } from '../../src/playlist/shard.js';
import type { PlaylistTables, ShardSettings } from '../../src/playlist/tables.js';
import { isoWeek, weekKey } from '../../src/playlist/week.js';
import { weeklyPlaylist } from '../../src/playlist/weekly-playlist.js';
import { REASON_POPULAR } from '../../src/rerank/reranker.js';
import { makeWorld } from './world.js';
import { EMPTIED, SKIPS_ONLY, withColdListeners } from './cold-world.js';

describe('averageTaste', () => {
  it('is the mean of the rows that are not all zero', () => {
    expect([...averageTaste(Float32Array.of(1, 2, 0, 0, 3, 4), 2)]).toEqual([2, 3]);
    expect([...averageTaste(Float32Array.of(0, -1, 2, 0), 2)]).toEqual([1, -0.5]);
    expect([...averageTaste(new Float32Array(6), 3)]).toEqual([0, 0, 0]);
    expect([...averageTaste(new Float32Array(0), 4)]).toEqual([0, 0, 0, 0]);
    expect(() => averageTaste(new Float32Array(3), 2)).toThrow(/not rows of 2/);
    expect(() => averageTaste(new Float32Array(4), 0)).toThrow(RangeError);
  });
});

const asOf = Date.UTC(2026, 10, 26);
const world = makeWorld({ users: 150, seed: 11 });
const k = world.data.params.factors;
const { data, skipped } = withColdListeners(world);
const settings: ShardSettings = { candidates: 200, rerank: { asOf }, weekKey: weekKey(isoWeek(asOf)), historySize: 20, retrieval: 'exact', foldInRecent: true };
const names = { trackIds: data.items.ids, artistIds: world.meta.artists.ids, trackArtist: world.meta.trackArtist };

async function run(tables: PlaylistTables) {
  const shards: ShardResult[] = [];
  const summary = await runWeeklyJob({ tables, settings, userIds: data.users.ids, names, week: isoWeek(asOf), threads: 0, shardSize: 40, onShard: (s) => shards.push(s) });
  const row = (u: number) => {
    const s = shards.find((x) => x.users[0] <= u && u <= x.users[x.users.length - 1])!;
    const i = u - s.users[0];
    const span = (a: ArrayLike<number>) => [...Array.from(a).slice(i * s.size, i * s.size + s.count[i])];
    return { items: span(s.items), scores: span(s.scores), reasons: span(s.reason) };
  };
  return { summary, row };
}

describe('weekly playlists of listeners without taste evidence', () => {
  const tables = buildTables(data, { meta: world.meta });
  const mean = averageTaste(data.userFactors, k);

  it('are what the average listener would play, explained so, with their heard tracks still left out', async () => {
    const withMean = await run(tables);
    expect(withMean.summary.cold).toBe(2);
    // The same queries given as the users' own factors: the same tracks and scores.
    const asOwn = data.userFactors.slice();
    asOwn.set(mean, EMPTIED * k);
    asOwn.set(mean, SKIPS_ONLY * k);
    const own = await run({ ...tables, userFactors: asOwn, averageTaste: undefined });
    expect(own.summary.cold).toBe(0);
    for (const u of [EMPTIED, SKIPS_ONLY]) {
      const got = withMean.row(u);
      expect(got.items.length).toBe(30);
      expect(got.items).toEqual(own.row(u).items);
      expect(got.scores).toEqual(own.row(u).scores);
      expect(got.scores.every((s) => s > 0)).toBe(true);
      expect(got.reasons.every((r) => r === REASON_POPULAR)).toBe(true);
    }
    expect(withMean.row(SKIPS_ONLY).items).not.toContain(skipped);
    // Popular tracks, not the catalog's first ones by index.
    const catalogMean = world.popularity.reduce((a, b) => a + b, 0) / world.popularity.length;
    const listMean = withMean.row(EMPTIED).items.reduce((a, t) => a + world.popularity[t], 0) / 30;
    expect(listMean).toBeGreaterThan(1.3 * catalogMean);
  });

  it('leave every other listener\'s playlist as it was', async () => {
    const withMean = await run(tables);
    const without = await run({ ...tables, averageTaste: undefined });
    expect(without.summary.cold).toBe(0);
    for (let u = SKIPS_ONLY + 1; u < data.users.size; u++) expect(withMean.row(u)).toEqual(without.row(u));
  });

  it('include a listener with a history whose query is all zeros (recent plays not folded in)', async () => {
    const zeroed = data.userFactors.slice();
    zeroed.fill(0, 2 * k, 3 * k);
    const r = await run({ ...tables, userFactors: zeroed });
    expect(r.summary.cold).toBe(3);
    const row = r.row(2);
    expect(row.scores.every((x) => x > 0)).toBe(true);
    expect(row.reasons.every((x) => x === REASON_POPULAR)).toBe(true);
  });

  it('come the same way from weeklyPlaylist', async () => {
    const rows = await weeklyPlaylist({ data }, data.users.ids[EMPTIED], { asOf: new Date(asOf).toISOString(), meta: world.meta, candidates: 200, historySize: 20 });
    const job = (await run(tables)).row(EMPTIED);
    expect(rows.map((r) => data.items.get(r.trackId))).toEqual(job.items);
    expect(rows.every((r) => r.reason === 'popular with listeners' && r.score > 0)).toBe(true);
  });

  it('name the reason', () => {
    expect(formatReason(REASON_POPULAR, -1, -1, names)).toBe('popular with listeners');
  });
});
