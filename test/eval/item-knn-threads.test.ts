import { describe, expect, it } from 'vitest';
import { ItemKnnRanker } from '../../src/eval/baselines.js';
import { neighbourShards } from '../../src/eval/item-neighbours.js';
import { interactionRows } from '../../src/eval/sparse.js';
import { mulberry32 } from '../reference/random.js';
import { interactions } from './fixtures.js';

/** A random log: a few heavy users, some empty users and items, some negative entries. */
function randomLog(users: number, items: number, seed: number) {
  const rng = mulberry32(seed);
  const rows: [number, number, number?][] = [];
  for (let u = 0; u < users; u++) {
    if (u % 7 === 3) continue;
    // The last two items stay empty when there are more than two.
    const pool = items > 2 ? items - 2 : items;
    const count = Math.min(pool, u % 11 === 0 ? Math.floor(items * 0.8) : 1 + Math.floor(rng() * 6));
    const picked = new Set<number>();
    while (picked.size < count) picked.add(Math.floor(rng() * pool));
    for (const i of picked) rows.push([u, i, rng() < 0.1 ? 0 : 1]);
  }
  return interactions(users, items, rows);
}

/** Plain cosine over binary positive columns, top n per item (ties to the lower item). */
function referenceNeighbours(log: ReturnType<typeof randomLog>, n: number): { ids: number[]; sims: number[] } {
  const users = log.users.size;
  const items = log.items.size;
  const has = Array.from({ length: items }, () => new Uint8Array(users));
  for (let u = 0; u < users; u++) for (let p = log.indptr[u]; p < log.indptr[u + 1]; p++) if (log.pref[p] > 0) has[log.indices[p]][u] = 1;
  const norm = has.map((c) => Math.sqrt(c.reduce((s, v) => s + v, 0)));
  const ids: number[] = [];
  const sims: number[] = [];
  for (let i = 0; i < items; i++) {
    const cands: [number, number][] = [];
    for (let j = 0; j < items; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let u = 0; u < users; u++) dot += has[i][u] * has[j][u];
      const sim = dot / (norm[i] * norm[j]);
      if (sim > 0) cands.push([j, sim]);
    }
    cands.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (let s = 0; s < n; s++) {
      ids.push(s < cands.length ? cands[s][0] : -1);
      sims.push(s < cands.length ? Math.fround(cands[s][1]) : 0);
    }
  }
  return { ids, sims };
}

describe('item-kNN neighbours', () => {
  it.each([
    [30, 12, 4, 1],
    [90, 40, 7, 2],
    [5, 1, 3, 3],
  ])('match a plain cosine on %i users × %i items (n = %i), on this thread and on a pool', async (users, items, n, seed) => {
    const log = randomLog(users, items, seed);
    const want = referenceNeighbours(log, n);
    const built = ItemKnnRanker.build(log, { neighbours: n });
    expect(Array.from(built.neighbourIds)).toEqual(want.ids);
    expect(Array.from(built.neighbourSims)).toEqual(want.sims);
    const fitted = await ItemKnnRanker.fit(log, { neighbours: n, threads: 2 });
    expect(fitted.neighbourIds).toEqual(built.neighbourIds);
    expect(fitted.neighbourSims).toEqual(built.neighbourSims);
  });

  it('gives the same lists on the pool as on this thread', async () => {
    const log = randomLog(90, 40, 4);
    const knn = ItemKnnRanker.build(log, { neighbours: 6 });
    const exclude = interactionRows(log);
    const users = Int32Array.from([5, 0, 89, 33, 33, 11, 70, 3]);
    for (const threads of [1, 2, 5]) {
      for (const k of [1, 10, 40]) expect(await knn.recommendAsync(users, k, exclude, threads)).toEqual(knn.recommend(users, k, exclude));
    }
    expect(await knn.recommendAsync(new Int32Array(0), 5, exclude, 2)).toHaveLength(0);
    await expect(knn.recommendAsync(Int32Array.from([90]), 5, exclude, 2)).rejects.toThrow(/no row in exclude/);
  });

  it('fits a log with no positive entries', async () => {
    const empty = interactions(3, 4, [[0, 1, 0]]);
    const knn = await ItemKnnRanker.fit(empty, { neighbours: 2, threads: 2 });
    expect(Array.from(knn.neighbourIds)).toEqual(new Array(8).fill(-1));
  });

  it('cuts the items into contiguous ranges of similar search cost', () => {
    const log = randomLog(200, 60, 5);
    const input = { userPtr: log.indptr, itemPtr: new Int32Array(61), itemRows: new Int32Array(0) };
    // Column pointers of the transposed positive matrix are what the search walks; any CSR will do here.
    const counts = new Int32Array(61);
    for (let p = 0; p < log.indices.length; p++) counts[log.indices[p] + 1]++;
    for (let i = 0; i < 60; i++) input.itemPtr[i + 1] = input.itemPtr[i] + counts[i + 1];
    const rows = new Int32Array(input.itemPtr[60]);
    const at = input.itemPtr.slice(0, 60);
    for (let u = 0; u < 200; u++) for (let p = log.indptr[u]; p < log.indptr[u + 1]; p++) rows[at[log.indices[p]]++] = u;
    input.itemRows = rows;
    for (const parts of [1, 3, 8, 100]) {
      const b = Array.from(neighbourShards(input, parts));
      expect(b[0]).toBe(0);
      expect(b[b.length - 1]).toBe(60);
      expect(b.length - 1).toBeLessThanOrEqual(parts);
      for (let s = 1; s < b.length; s++) expect(b[s]).toBeGreaterThan(b[s - 1]);
    }
    expect(Array.from(neighbourShards({ userPtr: new Int32Array(1), itemPtr: new Int32Array(1), itemRows: new Int32Array(0) }, 4))).toEqual([0, 0]);
  });
});
