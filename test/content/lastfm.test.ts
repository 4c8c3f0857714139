import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildContentModel } from '../../src/content/content-model.js';
import { coldRecall, holdOutItems, rankColdItems } from '../../src/content/cold-items-eval.js';
import { catalogFactors } from '../../src/content/model-factors.js';
import { readCatalog } from '../../src/data/catalog.js';
import { readLastfmInteractions, writeLastfmCatalog } from '../../src/data/catalog-lastfm.js';
import { GlobalOrderRanker } from '../../src/eval/baselines.js';
import { train } from '../../src/train/train.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const hetrec = path.resolve(repoRoot, '../shared/datasets/hetrec2011-lastfm-2k');
const musicoset = path.resolve(repoRoot, '../shared/datasets/musicoset');
const present = existsSync(hetrec) && existsSync(musicoset);
if (!present) console.warn('skipping the Last.fm content tests: ../shared/datasets/hetrec2011-lastfm-2k or musicoset not found');

const dir = mkdtempSync(path.join(tmpdir(), 'mixtape-lastfm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!present)('HetRec Last.fm 2K joined with MusicOSet', () => {
  it('joins by name, and content-mapped factors rank held-out artists ≥ 3× random and above tag popularity', async () => {
    const file = path.join(dir, 'artists.csv');
    const { stats, tagUsers } = await writeLastfmCatalog(hetrec, musicoset, file);
    expect(stats.hetrecArtists).toBe(17632);
    expect(stats.matched).toBe(3544); // the figure the data set's notes give for a name match
    expect(stats.tagged).toBe(12133); // 12,523 tagged artists minus the 390 absent from artists.dat
    const catalog = await readCatalog(file);
    expect(catalog.report.artistLevel).toBe(true);
    const spotify = catalog.report.features.find((f) => f.name === 'log_followers')!;
    expect(spotify.present).toBe(3544);
    expect(spotify.imputedMedian).toBe(17632 - 3544);

    const all = await readLastfmInteractions(hetrec, catalog);
    const split = holdOutItems(all, 0.2, 42);
    const nCold = split.coldItems.length;
    expect(nCold).toBe(3526);
    // Every interaction with a cold artist is gone from training.
    const cold = new Uint8Array(all.items.size);
    for (const i of split.coldItems) cold[i] = 1;
    expect(split.train.indices.some((i) => cold[i] === 1)).toBe(false);

    const model = await train(split.train, { factors: 32, iterations: 10, confidence: 'log', alpha: 1, regularization: 0.01, threads: 2, seed: 1 });
    const content = buildContentModel(catalog, { textDims: 32, seed: 42 });
    const f = catalogFactors(content, model);
    const K = 50;
    const contentRecall = coldRecall(await rankColdItems(model.data.userFactors, f.factors, model.factors, split.coldItems, K), K, split).recall;
    const users = Int32Array.from({ length: all.users.size }, (_, u) => u);
    const none = { indptr: new Int32Array(users.length + 1), indices: new Int32Array(0) };
    const tagRanker = new GlobalOrderRanker('tag-popularity', Float64Array.from(split.coldItems, (i) => tagUsers.get(catalog.tracks.ids[i]) ?? 0));
    const tagRecall = coldRecall(tagRanker.recommend(users, K, none), K, split).recall;
    const random = K / nCold;
    console.log(`cold artists recall@50: content map ${contentRecall.toFixed(4)}, tag popularity ${tagRecall.toFixed(4)}, random ${random.toFixed(4)}`);
    expect(contentRecall).toBeGreaterThanOrEqual(3 * random);
    expect(contentRecall).toBeGreaterThan(tagRecall);
  });
});
