import { describe, expect, it } from 'vitest';
import { factorCandidates, factorCandidatesAsync } from '../../src/eval/candidates.js';
import { FactorRanker } from '../../src/eval/model-ranker.js';
import { rerankCandidates, rerankFeatures, rerankSettings, RerankSettingsPool } from '../../src/eval/rerank-ranker.js';
import { rowsOf } from './fixtures.js';
import { mulberry32, randomFloats } from '../reference/random.js';

const rng = mulberry32(11);
const k = 5;
const usersN = 23;
const itemsN = 40;
const U = randomFloats(rng, usersN * k, -1, 1);
const V = randomFloats(rng, itemsN * k, -1, 1);
const exclude = rowsOf(
  itemsN,
  Array.from({ length: usersN }, (_, u) => (u % 4 === 0 ? [] : Array.from({ length: 1 + (u % 7) }, (_, j) => (u * 3 + j * 5) % itemsN))),
);
const users = Int32Array.from([0, 5, 22, 7, 7, 13, 2, 19, 11, 3, 8]);

describe('factor candidates on the thread pool', () => {
  it.each([1, 2, 3, 16])('give the same lists and scores as on this thread (%i threads)', async (threads) => {
    for (const width of [1, 8, itemsN]) {
      const want = factorCandidates(U, V, k, users, width, exclude);
      const got = await factorCandidatesAsync(U, V, k, users, width, exclude, threads);
      expect(Array.from(got.items)).toEqual(Array.from(want.items));
      expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
    }
  });

  it('handle no users and no width, and refuse a bad thread count', async () => {
    expect((await factorCandidatesAsync(U, V, k, new Int32Array(0), 5, exclude, 2)).items).toHaveLength(0);
    expect((await factorCandidatesAsync(U, V, k, users, 0, exclude, 2)).items).toHaveLength(0);
    await expect(factorCandidatesAsync(U, V, k, users, 5, exclude, 0)).rejects.toThrow(/threads/);
  });

  it('serve the factor ranker with the same lists as its synchronous path', async () => {
    const als = new FactorRanker('als', U, V, k);
    expect(await als.recommendAsync(users, 10, exclude, 2)).toEqual(als.recommend(users, 10, exclude));
    await expect(als.recommendAsync(Int32Array.from([usersN]), 3, exclude)).rejects.toThrow(/no row in exclude/);
  });

  it('re-rank several settings on the pool as each would alone', async () => {
    const features = rerankFeatures({ itemFactors: V, factors: k, popularity: Array.from({ length: itemsN }, (_, i) => (i * 5) % 11) });
    const cand = factorCandidates(U, V, k, users, 20, exclude);
    const settings = [{ lambda: 1, explorationShare: 0 }, { lambda: 0.5, explorationShare: 0.3 }, { lambda: 0.8, artistCap: 1 }];
    const got = await rerankSettings(cand, users, 10, features, settings, 2);
    expect(got).toEqual(settings.map((o) => rerankCandidates(cand, users, 10, features, o)));
    expect(await rerankSettings(cand, users, 10, features, [], 2)).toEqual([]);
    // One pool, batch after batch (tune's re-ranking stage): each list as the setting would give alone.
    const pool = new RerankSettingsPool(cand, users, 10, features, 2);
    try {
      for (const batch of [settings.slice(0, 2), settings.slice(2), [{ lambda: 0.3, explorationShare: 0.5 }]]) {
        expect(await pool.run(batch)).toEqual(batch.map((o) => rerankCandidates(cand, users, 10, features, o)));
      }
    } finally {
      await pool.destroy();
    }
  });
});
