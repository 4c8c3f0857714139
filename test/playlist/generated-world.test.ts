/**
 * The weekly job on a generated world with a trained model: the hard rules hold for every user,
 * and re-ranking buys diversity, artists, coverage and lower popularity for at most 5% of the
 * planted-taste satisfaction (the generator's expected full-play rate of the served tracks).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventWindow } from '../../src/data/event-window.js';
import { expectedFullPlayRate, generateWorld, worldToEventLog, worldTrackMeta } from '../../src/generate/index.js';
import { previousWeeks, readArchive } from '../../src/playlist/archive.js';
import { runWeeklyJob } from '../../src/playlist/job.js';
import { ListStatsCounter, type ListStats } from '../../src/playlist/list-stats.js';
import { buildTables, recentTables } from '../../src/playlist/prepare.js';
import type { ShardResult } from '../../src/playlist/shard.js';
import { isoWeek, weekKey } from '../../src/playlist/week.js';
import { resolveRerankOptions, type RerankOptions } from '../../src/rerank/options.js';
import { computeSignals } from '../../src/signals/index.js';
import { train } from '../../src/train/train.js';

const DAY = 86_400_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-genworld-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const world = generateWorld({ users: 700, tracks: 3000, weeks: 5, seed: 17 });
const log = worldToEventLog(world);
const asOf = world.endMs;
const split = asOf - 7 * DAY;

const trainLog = eventWindow(log, -Infinity, split);
const recentLog = eventWindow(log, split, asOf + 1);
const { interactions } = computeSignals(trainLog, { asOf: split });
const model = await train(interactions, { factors: 32, iterations: 8, threads: 2, seed: 5, alpha: 5, regularization: 0.05 });
const data = model.data;
const cat = world.catalog;
const modelTrack = (t: number): number => cat.tracks.get(data.items.ids[t])!;
const meta = worldTrackMeta(world, data.items);
const recent = recentTables(data, meta, recentLog, asOf);
const worldUser = Int32Array.from({ length: data.users.size }, (_, u) => world.events.users.get(data.users.ids[u])!);
const worldTrack = Int32Array.from({ length: data.items.size }, (_, t) => modelTrack(t));
const lastWeek = world.options.weeks - 1;
const satisfaction = (u: number, t: number): number => expectedFullPlayRate(world, worldUser[u], worldTrack[t], lastWeek);
const names = { trackIds: data.items.ids, artistIds: meta.artists.ids, trackArtist: meta.trackArtist };
const U = data.users.size;
const cap = resolveRerankOptions().artistCap;
let defaultCost = Number.NaN;

async function job(o: { week: string; rerank?: RerankOptions; candidates?: number; archive?: { indptr: Int32Array; indices: Int32Array }; archiveDir?: string; stats?: ListStatsCounter }) {
  const tables = buildTables(data, { meta, recent, archive: o.archive });
  const shards: ShardResult[] = [];
  const summary = await runWeeklyJob({
    tables,
    settings: { candidates: o.candidates ?? 500, rerank: { asOf, ...o.rerank }, weekKey: weekKey(o.week), historySize: 30, retrieval: 'exact', foldInRecent: true },
    userIds: data.users.ids,
    names,
    week: o.week,
    archiveDir: o.archiveDir,
    threads: 0,
    shardSize: 256,
    onShard: (s) => {
      shards.push(s);
      o.stats?.add(s, s.users);
    },
  });
  return { summary, shards, tables };
}

describe('the weekly job on a generated world', () => {
  it('never offers heard, disliked or last-4-weeks tracks, caps artists and fills every playlist', async () => {
    const archiveDir = path.join(dir, 'archive');
    const week = isoWeek(asOf);
    // Four earlier weeks through the job itself, each kept out of the next.
    const earlier = [28, 21, 14, 7].map((d) => isoWeek(asOf - d * DAY));
    for (const w of earlier) {
      const prev = await previousWeeks(archiveDir, w, 4);
      await job({ week: w, archiveDir, archive: (await readArchive(archiveDir, prev, data.users, data.items)).rows });
    }
    const last4 = await previousWeeks(archiveDir, week, 4);
    expect(last4).toEqual(earlier);
    const archive = (await readArchive(archiveDir, last4, data.users, data.items)).rows;
    const { summary, shards } = await job({ week, archive });
    const heard = (u: number): Set<number> => {
      const s = new Set<number>();
      for (const m of [data.seen, recent.recent, recent.dislikedTracks, archive]) for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) s.add(m.indices[p]);
      return s;
    };
    let full = 0;
    let bannedArtistUsers = 0;
    for (const sh of shards) {
      for (let i = 0; i < sh.users.length; i++) {
        const u = sh.users[i];
        const banned = heard(u);
        const badArtists = new Set(recent.dislikedArtists.indices.subarray(recent.dislikedArtists.indptr[u], recent.dislikedArtists.indptr[u + 1]));
        if (badArtists.size > 0) bannedArtistUsers++;
        const perArtist = new Map<number, number>();
        for (let s = 0; s < sh.count[i]; s++) {
          const t = sh.items[i * sh.size + s];
          expect(banned.has(t)).toBe(false);
          expect(badArtists.has(meta.trackArtist[t])).toBe(false);
          perArtist.set(meta.trackArtist[t], (perArtist.get(meta.trackArtist[t]) ?? 0) + 1);
        }
        for (const c of perArtist.values()) expect(c).toBeLessThanOrEqual(cap);
        // Enough eligible candidates (the catalog minus a few hundred heard tracks): always full.
        expect(sh.count[i]).toBe(30);
        full++;
      }
    }
    expect(full).toBe(U);
    expect(summary.short).toBe(0);
    console.log(`generated world: ${U} users × ${data.items.size} tracks; ${summary.refreshed} refreshed from the last week; ${bannedArtistUsers} users with a disliked artist`);
  }, 60_000);

  it('trades at most 5% planted satisfaction for diversity, artists, coverage and lower popularity', async () => {
    const week = isoWeek(asOf);
    const stats = async (rerank: RerankOptions, candidates = 500): Promise<ListStats> => {
      const f = buildTables(data, { meta, recent }).features;
      const counter = new ListStatsCounter(f.unitFactors, f.factors, f.artist, f.artists, f.popularity, satisfaction);
      await job({ week, rerank, candidates, stats: counter });
      return counter.summary();
    };
    const pure = await stats({ lambda: 1, explorationShare: 0, popularityPenalty: 0, artistCap: 30 });
    const settings: [string, RerankOptions, number][] = [
      ['default (λ 0.9, explore 0.2, β 0.1, cap 2), C 200', {}, 200],
      ['cap 3, C 500', { artistCap: 3 }, 500],
      ['cap 3, C 200', { artistCap: 3 }, 200],
      ['cap 3, C 150', { artistCap: 3 }, 150],
      ['λ 0.9, explore 0.1', { lambda: 0.9, explorationShare: 0.1 }, 500],
      ['λ 0.5, explore 0.3', { lambda: 0.5, explorationShare: 0.3 }, 500],
      ['artist cap 2 only (no MMR, exploration or debiasing)', { lambda: 1, explorationShare: 0, popularityPenalty: 0 }, 500],
      ['λ 0.85, explore 0.2, cap 2', { lambda: 0.85 }, 200],
      ['λ 0.7, explore 0.2, cap 2', { lambda: 0.7 }, 200],
    ];
    const rows: Record<string, ListStats & { cost: number }> = { 'pure top-30': { ...pure, cost: 0 } };
    for (const [name, o, c] of settings) {
      const s = await stats(o, c);
      rows[name] = { ...s, cost: 1 - s.satisfaction / pure.satisfaction };
    }
    console.table(
      Object.fromEntries(
        Object.entries(rows).map(([k, r]) => [
          k,
          { ILD: +r.intraListDiversity.toFixed(4), artists: +r.artistsPerList.toFixed(2), meanPop: +r.meanPopularity.toFixed(1), coverage: +r.catalogCoverage.toFixed(4), satisfaction: +r.satisfaction.toFixed(4), cost: `${(100 * r.cost).toFixed(2)}%` },
        ]),
      ),
    );
    for (const name of ['default (λ 0.9, explore 0.2, β 0.1, cap 2), C 200', 'cap 3, C 500', 'cap 3, C 200']) {
      const d = rows[name];
      expect(d.intraListDiversity).toBeGreaterThan(pure.intraListDiversity);
      expect(d.artistsPerList).toBeGreaterThan(pure.artistsPerList);
      expect(d.meanPopularity).toBeLessThan(pure.meanPopularity);
      expect(d.catalogCoverage).toBeGreaterThan(pure.catalogCoverage);
    }
    // With a per-artist cap of 3 the whole re-ranking costs at most 5% planted satisfaction.
    expect(rows['cap 3, C 500'].cost).toBeLessThanOrEqual(0.05);
    expect(rows['cap 3, C 200'].cost).toBeLessThanOrEqual(0.05);
    defaultCost = rows['default (λ 0.9, explore 0.2, β 0.1, cap 2), C 200'].cost;
  }, 120_000);

  // The generator plants favourite artists, so the default cap of 2 alone costs about 6%;
  // λ 0.9 (with discoveries kept apart from the picks too) keeps the whole default under 5%
  // (4.6–4.7% over three world seeds), where λ 0.85 costs about 5.1% and λ 0.7 over 6%.
  it('the defaults (cap 2) cost at most 5% planted satisfaction', () => {
    expect(defaultCost).toBeLessThanOrEqual(0.05);
  });
});
