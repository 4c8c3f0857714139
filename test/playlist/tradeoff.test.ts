import { describe, expect, it } from 'vitest';
import { ListStatsCounter, type ListStats } from '../../src/playlist/list-stats.js';
import { runWeeklyJob } from '../../src/playlist/job.js';
import { buildTables } from '../../src/playlist/prepare.js';
import type { RerankOptions } from '../../src/rerank/options.js';
import { makeWorld } from './world.js';

// Sixty artists per genre: a playlist of 30 with at most 2 per artist can stay within a taste.
const world = makeWorld({ users: 400, seed: 9, artistsPerGenre: 60, tracksPerArtist: 4 });
const { data, meta } = world;
const tables = buildTables(data, { meta });
const names = { trackIds: data.items.ids, artistIds: meta.artists.ids, trackArtist: meta.trackArtist };

async function stats(rerank: RerankOptions): Promise<ListStats> {
  const f = tables.features;
  const counter = new ListStatsCounter(f.unitFactors, f.factors, f.artist, f.artists, f.popularity, world.expectedFullPlayRate);
  await runWeeklyJob({
    tables,
    settings: { candidates: 300, rerank, weekKey: 202648, historySize: 20, retrieval: 'exact', foldInRecent: false },
    userIds: data.users.ids,
    names,
    week: '2026-W48',
    threads: 0,
    shardSize: 100,
    onShard: (s) => counter.add(s, s.users),
  });
  return counter.summary();
}

describe('re-ranking trade-off versus pure top-30 by score', () => {
  it('raises diversity, artists and coverage and lowers popularity at ≤ 5% satisfaction cost', async () => {
    const pure = await stats({ lambda: 1, explorationShare: 0, popularityPenalty: 0, artistCap: 30 });
    const settings: [string, RerankOptions][] = [
      ['default (λ 0.9, explore 0.2, β 0.1, cap 2)', {}],
      ['λ 0.7, explore 0.2', { lambda: 0.7 }],
      ['λ 0.9, explore 0.1', { lambda: 0.9, explorationShare: 0.1 }],
      ['λ 0.5, explore 0.3', { lambda: 0.5, explorationShare: 0.3 }],
      ['cap 2 only', { lambda: 1, explorationShare: 0, popularityPenalty: 0 }],
    ];
    const rows: Record<string, ListStats & { satisfactionCost: number }> = { 'pure top-30': { ...pure, satisfactionCost: 0 } };
    for (const [name, o] of settings) {
      const s = await stats(o);
      rows[name] = { ...s, satisfactionCost: 1 - s.satisfaction / pure.satisfaction };
    }
    console.table(
      Object.fromEntries(
        Object.entries(rows).map(([k, r]) => [
          k,
          { ILD: +r.intraListDiversity.toFixed(4), artists: +r.artistsPerList.toFixed(2), meanPop: +r.meanPopularity.toFixed(2), coverage: +r.catalogCoverage.toFixed(4), satisfaction: +r.satisfaction.toFixed(4), cost: `${(100 * r.satisfactionCost).toFixed(2)}%` },
        ]),
      ),
    );
    const d = rows['default (λ 0.9, explore 0.2, β 0.1, cap 2)'];
    expect(d.intraListDiversity).toBeGreaterThan(pure.intraListDiversity);
    expect(d.artistsPerList).toBeGreaterThan(pure.artistsPerList);
    expect(d.meanPopularity).toBeLessThan(pure.meanPopularity);
    expect(d.catalogCoverage).toBeGreaterThan(pure.catalogCoverage);
    expect(d.satisfactionCost).toBeLessThanOrEqual(0.05);
  });
});
