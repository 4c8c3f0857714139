import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/data/csr.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { ItemKnnRanker, mostPopular, RandomRanker } from '../../src/eval/baselines.js';
import { compareOutcomes, evaluateRanker } from '../../src/eval/evaluate.js';
import { randomHoldout } from '../../src/eval/split.js';
import { positiveRows } from '../../src/eval/sparse.js';
import type { Interactions } from '../../src/types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.resolve(repoRoot, '../shared/datasets/hetrec2011-lastfm-2k/user_artists.dat');
const present = fs.existsSync(file);
if (!present) console.warn(`skipping HetRec evaluation tests: ${file} not found`);

/** user_artists.dat: a header, then tab-separated userID, artistID, play count. */
function loadHetrec(): Interactions {
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.length > 0);
  const users = new Dictionary();
  const items = new Dictionary();
  const u = new Int32Array(lines.length);
  const i = new Int32Array(lines.length);
  const w = new Float32Array(lines.length);
  lines.forEach((line, n) => {
    const [user, artist, weight] = line.split('\t');
    u[n] = users.intern(user);
    i[n] = items.intern(artist);
    w[n] = Number(weight);
  });
  const m = buildCsr(users.size, items.size, u, i, [w]);
  return { users, items, indptr: m.indptr, indices: m.indices, pref: new Float32Array(m.indices.length).fill(1), weight: m.values[0] };
}

describe.skipIf(!present)('HetRec Last.fm 2k, seeded 20% hold-out', () => {
  it('popularity lands near precision@10 0.07 and item-kNN clearly beats it', () => {
    const data = loadHetrec();
    expect(data.users.size).toBe(1892);
    expect(data.items.size).toBe(17632);
    expect(data.indices.length).toBe(92834);
    const split = randomHoldout(data, { fraction: 0.2, seed: 42 });
    const opts = { ks: [10, 20], bootstrap: { iterations: 200, seed: 1 } };

    const pop = evaluateRanker(mostPopular(positiveRows(split.train)), split, opts);
    const t0 = performance.now();
    const knn = evaluateRanker(ItemKnnRanker.build(split.train, { neighbours: 100 }), split, opts);
    const knnSeconds = (performance.now() - t0) / 1000;
    const rnd = evaluateRanker(new RandomRanker(data.items.size, 7), split, opts);

    const p10 = pop.result.atK[0];
    const k10 = knn.result.atK[0];
    console.log(
      `HetRec P@10 popularity ${p10.precision.mean.toFixed(4)}, item-kNN ${k10.precision.mean.toFixed(4)}, ` +
        `random ${rnd.result.atK[0].precision.mean.toFixed(4)}; NDCG@10 ${p10.ndcg.mean.toFixed(4)} vs ${k10.ndcg.mean.toFixed(4)}; ` +
        `item-kNN build+eval ${knnSeconds.toFixed(2)} s`,
    );
    expect(pop.result.usersEvaluated).toBeGreaterThan(1800);
    expect(p10.precision.mean).toBeGreaterThan(0.05);
    expect(p10.precision.mean).toBeLessThan(0.1);
    expect(k10.precision.mean).toBeGreaterThan(1.3 * p10.precision.mean);
    expect(k10.ndcg.mean).toBeGreaterThan(p10.ndcg.mean);
    expect(rnd.result.atK[0].precision.mean).toBeLessThan(0.01);
    const diff = compareOutcomes(knn, pop, 'ndcg', 10, { iterations: 300 });
    expect(diff.significant).toBe(true);
    expect(diff.low).toBeGreaterThan(0);
    // beyond accuracy: kNN spreads over more of the catalog and picks less popular items
    expect(k10.catalogCoverage).toBeGreaterThan(p10.catalogCoverage);
    expect(k10.novelty).toBeGreaterThan(p10.novelty);
    expect(knnSeconds).toBeLessThan(20);
  });
});
