import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { candidateRecall, exactCandidates } from '../../src/retrieve/candidates.js';
import { mergeExclusions } from '../../src/retrieve/exclusion-rows.js';
import { HnswIndex, loadIndex, saveIndex } from '../../src/retrieve/hnsw.js';

function clustered(n: number, k: number, seed: number): Float32Array {
  let s = seed;
  const r = (): number => ((s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 0) / 4294967296;
  const g = (): number => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const C = 10;
  const centers = Float32Array.from({ length: C * k }, g);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const c = i % C;
    const norm = 0.3 + 2 * r() ** 3; // popularity-like spread of norms
    for (let j = 0; j < k; j++) out[i * k + j] = norm * (centers[c * k + j] + 0.7 * g());
  }
  return out;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('exclusion rows', () => {
  it('merges seen, recent, disliked and artist exclusions sorted and unique per user', () => {
    const seen = { indptr: Int32Array.of(0, 2, 3), indices: Int32Array.of(5, 1, 7) };
    const recent = { indptr: Int32Array.of(0, 2, 2), indices: Int32Array.of(1, 9) };
    const artists = { byUser: { indptr: Int32Array.of(0, 0, 1), indices: Int32Array.of(0) }, tracks: { indptr: Int32Array.of(0, 2), indices: Int32Array.of(3, 7) } };
    const m = mergeExclusions({ tracks: [seen, recent], artists }, Int32Array.of(0, 1));
    expect([...m.indptr]).toEqual([0, 3, 5]);
    expect([...m.indices]).toEqual([1, 5, 9, 3, 7]);
  });
});

describe('exact candidates', () => {
  it('equal brute force with exclusions removed', () => {
    const k = 8;
    const V = clustered(300, k, 3);
    const U = clustered(5, k, 4);
    const ex = mergeExclusions({ tracks: [{ indptr: Int32Array.of(0, 3, 3, 3, 3, 3), indices: Int32Array.of(10, 3, 200) }] }, Int32Array.of(0, 1, 2, 3, 4));
    const c = exactCandidates(U, V, k, 20, ex);
    for (let u = 0; u < 5; u++) {
      const scored = Array.from({ length: 300 }, (_, i) => {
        let s = 0;
        for (let j = 0; j < k; j++) s += U[u * k + j] * V[i * k + j];
        return [i, s] as const;
      }).filter(([i]) => u !== 0 || ![3, 10, 200].includes(i));
      scored.sort((a, b) => b[1] - a[1]);
      expect([...c.items.subarray(u * 20, u * 20 + 20)]).toEqual(scored.slice(0, 20).map(([i]) => i));
    }
  });
});

describe('HNSW maximum inner product', () => {
  const k = 16;
  const n = 3000;
  const V = clustered(n, k, 11);
  const Q = clustered(40, k, 12);
  const none = { indptr: new Int32Array(41), indices: new Int32Array(0) };
  const exact = exactCandidates(Q, V, k, 50, none);

  it('retrieves the exact top-50 with high recall in both spaces and prints the comparison', () => {
    const recalls: Record<string, number> = {};
    for (const space of ['augmented', 'ip'] as const) {
      const index = HnswIndex.build(V, k, { space, M: 16, efConstruction: 100, ef: 200 });
      recalls[space] = candidateRecall(index.candidates(Q, 50, none), exact, 50);
    }
    console.log('hnsw recall@50 (3000 × 16, ef 200):', JSON.stringify(recalls));
    expect(recalls.augmented).toBeGreaterThan(0.9);
    expect(recalls.ip).toBeGreaterThan(0.8);
  });

  it('refills to the full width when many candidates are excluded', () => {
    const index = HnswIndex.build(V, k, { M: 12, efConstruction: 60, ef: 50 });
    // Exclude the exact top-200 of query 0: the index must still return 50 eligible items.
    const top = exactCandidates(Q.subarray(0, k), V, k, 200, { indptr: Int32Array.of(0, 0), indices: new Int32Array(0) });
    const excluded = Int32Array.from(top.items).sort();
    const out = index.candidates(Q.subarray(0, k), 50, { indptr: Int32Array.of(0, excluded.length), indices: excluded });
    const got = [...out.items];
    expect(got.filter((i) => i >= 0)).toHaveLength(50);
    const ex = new Set(excluded);
    expect(got.some((i) => ex.has(i))).toBe(false);
    for (let j = 1; j < 50; j++) expect(out.scores[j]).toBeLessThanOrEqual(out.scores[j - 1]);
  });

  it('saves beside the model and refuses an index built from other factors', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-hnsw-'));
    dirs.push(dir);
    const small = V.subarray(0, 500 * k);
    const built = await saveIndex(dir, small, k, { M: 8, efConstruction: 50, ef: 64 });
    const loaded = await loadIndex(dir, small, k);
    expect(loaded.meta.space).toBe(built.meta.space);
    const q = Q.subarray(0, k);
    const a = built.candidates(q, 10, { indptr: Int32Array.of(0, 0), indices: new Int32Array(0) });
    const b = loaded.candidates(q, 10, { indptr: Int32Array.of(0, 0), indices: new Int32Array(0) });
    expect([...b.items]).toEqual([...a.items]);
    const other = Float32Array.from(small, (x) => x * 2);
    await expect(loadIndex(dir, other, k)).rejects.toThrow(/other item factors/);
    await expect(loadIndex(path.join(dir, 'missing'), small, k)).rejects.toThrow(/hnsw\.json/);
  });
});
