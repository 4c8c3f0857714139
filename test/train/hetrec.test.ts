import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countsToInteractions, readCounts } from '../../src/data/index.js';
import { accuracyAtK, FactorRanker, interactionRows, mostPopular, randomHoldout } from '../../src/eval/index.js';
import { train } from '../../src/train/train.js';

const file = path.resolve(import.meta.dirname, '../../../shared/datasets/hetrec2011-lastfm-2k/user_artists.dat');
const present = existsSync(file);

describe.skipIf(!present)('ALS on HetRec Last.fm (seeded per-user 20% hold-out)', () => {
  it('beats the most-popular baseline on precision@10 by at least 1.5×', async () => {
    const counts = await readCounts(file, { userCol: 'userID', itemCol: 'artistID', weightCol: 'weight' });
    const all = countsToInteractions(counts);
    const { train: trainSet, test } = randomHoldout(all, { fraction: 0.2, seed: 42 });
    const model = await train(trainSet, { factors: 48, iterations: 15, confidence: 'log', alpha: 1, regularization: 0.01, threads: 2, seed: 1 });
    const users = Int32Array.from({ length: all.users.size }, (_, u) => u);
    const exclude = interactionRows(trainSet);
    const als = new FactorRanker('als', model.data.userFactors, model.data.itemFactors, model.factors);
    const pop = mostPopular(interactionRows(trainSet));
    const alsP10 = accuracyAtK(als.recommend(users, 20, exclude), 20, users, test, 10);
    const popP10 = accuracyAtK(pop.recommend(users, 20, exclude), 20, users, test, 10);
    const alsNdcg20 = accuracyAtK(als.recommend(users, 20, exclude), 20, users, test, 20);
    console.log(
      `HetRec hold-out: ALS precision@10 ${alsP10.mean.precision.toFixed(4)}, NDCG@20 ${alsNdcg20.mean.ndcg.toFixed(4)}; ` +
        `most-popular precision@10 ${popP10.mean.precision.toFixed(4)} (ratio ${(alsP10.mean.precision / popP10.mean.precision).toFixed(2)}×)`,
    );
    expect(alsP10.mean.precision).toBeGreaterThanOrEqual(1.5 * popP10.mean.precision);
    expect(alsP10.mean.precision).toBeGreaterThan(0.15);
  });
});
