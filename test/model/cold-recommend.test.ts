/**
 * Listeners without taste evidence (nothing positive in training) through the plain model API:
 * `recommend` and `recommendAll` rank them by the model's average listener, as the weekly job
 * does, where their own zero factors would tie every track and list the catalog's first tracks.
 */
import { describe, expect, it } from 'vitest';
import { averageTaste, hasTaste } from '../../src/model/average-taste.js';
import { Model } from '../../src/model/model.js';
import { makeWorld } from '../playlist/world.js';
import { EMPTIED, SKIPS_ONLY, withColdListeners } from '../playlist/cold-world.js';

const world = makeWorld({ users: 120, seed: 5 });
const { data, skipped } = withColdListeners(world);
const model = new Model(data);
const k = data.params.factors;
const mean = averageTaste(data.userFactors, k);
const ids = data.users.ids;

/** What recommend gives a user: the query's top-n over the tracks the user has not heard. */
function expected(u: number, query: Float32Array, n: number): Promise<{ trackId: string; score: number }[]> {
  const heard = Array.from(data.seen.indices.subarray(data.seen.indptr[u], data.seen.indptr[u + 1]), (i) => data.items.ids[i]);
  return model.recommendVector(query, { n, exclude: heard });
}

describe('hasTaste', () => {
  it('needs a positive entry and a factor row that is not all zeros', () => {
    expect(hasTaste(data, EMPTIED)).toBe(false);
    expect(hasTaste(data, SKIPS_ONLY)).toBe(false); // factors near zero, but nothing positive
    expect(hasTaste(data, 2)).toBe(true);
    const zeroRow = { ...data, userFactors: data.userFactors.slice().fill(0, 2 * k, 3 * k) };
    expect(hasTaste(zeroRow, 2)).toBe(false); // positive entries, but no factors learned from them
  });
});

describe('recommend for listeners without taste evidence', () => {
  it('ranks them by the average taste, their heard tracks still left out', async () => {
    for (const u of [EMPTIED, SKIPS_ONLY]) {
      const got = await model.recommend(ids[u], { n: 20 });
      expect(got).toEqual(await expected(u, mean, 20));
      expect(got.some((r) => r.score !== 0)).toBe(true);
    }
    expect((await model.recommend(ids[SKIPS_ONLY], { n: 200 })).map((r) => r.trackId)).not.toContain(data.items.ids[skipped]);
    // The tracks are popular ones, not the catalog's first: their mean popularity beats the catalog's.
    const top = await model.recommend(ids[EMPTIED], { n: 30 });
    const pop = (t: string): number => world.popularity[data.items.get(t)!];
    const catalogMean = world.popularity.reduce((a, b) => a + b, 0) / world.popularity.length;
    expect(top.reduce((a, r) => a + pop(r.trackId), 0) / top.length).toBeGreaterThan(2 * catalogMean);
  });

  it('leaves everyone else on their own factors', async () => {
    for (const u of [2, 3, 60, 119]) {
      expect(await model.recommend(ids[u], { n: 15 })).toEqual(await expected(u, data.userFactors.slice(u * k, (u + 1) * k), 15));
    }
  });

  it('recommendAll flags them cold and agrees with recommend, in every batch and for listed users', async () => {
    for (const opts of [{ batchSize: 1 }, { batchSize: 7 }, { batchSize: 4096 }, { users: [ids[5], ids[SKIPS_ONLY], 'ghost', ids[EMPTIED]] }]) {
      const cold: string[] = [];
      for await (const r of model.recommendAll({ n: 10, ...opts })) {
        if (r.cold) cold.push(r.userId);
        if ([EMPTIED, SKIPS_ONLY, 5, 77].includes(data.users.get(r.userId)!)) expect(r.items).toEqual(await model.recommend(r.userId, { n: 10 }));
      }
      expect(cold.sort()).toEqual([ids[EMPTIED], ids[SKIPS_ONLY]].sort());
    }
  });
});
