import { ItemKnnRanker, mostPopular, RandomRanker } from '../../src/eval/baselines.js';
import { compareOutcomes, evaluateRanker } from '../../src/eval/evaluate.js';
import { SeededRandom } from '../../src/eval/random.js';
import type { ReportData } from '../../src/eval/report.js';
import { randomHoldout } from '../../src/eval/split.js';
import { itemUserCounts, positiveRows } from '../../src/eval/sparse.js';
import { interactions } from './fixtures.js';

/**
 * Report data from a real evaluation of the baselines on a small synthetic log: users draw most
 * items from one of 6 taste clusters, with Zipf-like popularity inside each cluster.
 */
export function buildReportData(): ReportData {
  const nUsers = 300;
  const nItems = 600;
  const rng = new SeededRandom(17);
  const rows: [number, number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const cluster = u % 6;
    const seen = new Set<number>();
    const n = 8 + rng.nextInt(25);
    for (let j = 0; j < n; j++) {
      const inCluster = rng.next() < 0.8;
      const rank = Math.floor(100 * rng.next() ** 2.5);
      const item = inCluster ? cluster * 100 + rank : rng.nextInt(nItems);
      if (seen.has(item)) continue;
      seen.add(item);
      rows.push([u, item, 1, 1 + rng.nextInt(50)]);
    }
  }
  const data = interactions(nUsers, nItems, rows);
  const split = randomHoldout(data, { fraction: 0.2, seed: 3 });
  const trainPos = positiveRows(split.train);
  const itemArtist = Int32Array.from({ length: nItems }, (_, i) => Math.floor(i / 5));
  const vectors = new Float32Array(nItems * 6);
  for (let i = 0; i < nItems; i++) {
    vectors[i * 6 + Math.floor(i / 100)] = 1;
    vectors[i * 6 + ((Math.floor(i / 100) + 1) % 6)] = 0.3 * rng.next();
  }
  const opts = { ks: [5, 10, 20, 50], bootstrap: { iterations: 200, seed: 5 }, itemArtist, itemVectors: { data: vectors, dim: 6 } };
  const rankers = [ItemKnnRanker.build(split.train, { neighbours: 50, name: 'item-knn (as model)' }), mostPopular(trainPos), new RandomRanker(nItems, 9)];
  const outcomes = rankers.map((r) => evaluateRanker(r, split, opts));
  const at10 = outcomes.map((o) => o.result.atK[1]);
  return {
    title: 'mixtape evaluation — synthetic clusters',
    generatedAt: '2024-05-06T08:00:00Z',
    config: { dataset: 'synthetic 300 × 600', split: 'random 20% hold-out, seed 3', neighbours: 50, 'note <escaped>': 'a & b' },
    metrics: outcomes.map((o) => o.result),
    comparisons: [{ a: 'item-knn (as model)', b: 'most-popular', metric: 'ndcg', k: 10, result: compareOutcomes(outcomes[0], outcomes[1], 'ndcg', 10) }],
    popularity: {
      itemPopularity: itemUserCounts(trainPos),
      recommended: outcomes.map((o) => ({ name: o.result.ranker, items: o.recommendations })),
    },
    trainingLoss: Array.from({ length: 15 }, (_, j) => ({ iteration: j + 1, loss: 0.02 + 0.3 * Math.exp(-0.45 * j) })),
    tradeoff: at10.map((a, j) => ({ label: outcomes[j].result.ranker, ndcg: a.ndcg.mean, diversity: a.intraListDiversity ?? NaN })),
    examples: [0, 1].map((u) => ({
      user: `u${u}`,
      history: Array.from(split.train.indices.subarray(split.train.indptr[u], split.train.indptr[u] + 5), (i) => ({ title: `track ${i}`, artist: `artist ${itemArtist[i]}` })),
      playlist: Array.from(outcomes[0].recommendations.subarray(u * 50, u * 50 + 5), (i) => ({ title: `track ${i}`, artist: `artist ${itemArtist[i]}`, detail: 'similar to your plays' })),
    })),
  };
}

/** Chart names the full report must contain. */
export const CHARTS = ['ndcg-at-k', 'recall-at-k', 'popularity', 'training-loss', 'tradeoff'];
