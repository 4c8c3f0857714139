import { describe, expect, it } from 'vitest';
import { HybridScorer } from '../../src/content/hybrid.js';
import { coldStartContext, coldStartRecommend } from '../../src/content/cold-start.js';
import { catalogFromTables } from '../../src/data/catalog.js';
import type { RawTable } from '../../src/data/catalog-table.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { buildCsr } from '../../src/data/csr.js';
import { Model } from '../../src/model/model.js';

describe('HybridScorer', () => {
  // 4 tracks, 2 factors, 2 content dims (unit rows).
  const itemFactors = Float32Array.of(1, 0, 2, 0, 3, 0, 0, 1);
  const unitContent = Float32Array.of(0, 1, 1, 0, 0, 1, 1, 0);
  const scorer = new HybridScorer({ itemFactors, factors: 2, unitContent, dim: 2, weights: { cf: 1, content: 1 } });

  it('adds per-user z-scores of CF and content similarity', () => {
    const user = Float32Array.of(1, 0);
    const profile = scorer.profile(Int32Array.of(0, 3), Float32Array.of(3, 1)); // (3·e2 + 1·e1) / |…|
    expect(profile[0]).toBeCloseTo(1 / Math.sqrt(10), 6);
    expect(profile[1]).toBeCloseTo(3 / Math.sqrt(10), 6);
    const cand = Int32Array.of(0, 1, 2, -1);
    const s = scorer.score(user, profile, cand);
    // cf = [1, 2, 3] → z = [−√1.5, 0, √1.5]; sim = [3, 1, 3]/√10 → z = [1/√2, −√2, 1/√2].
    const r = Math.sqrt(1.5);
    expect(s[0]).toBeCloseTo(-r + Math.SQRT1_2, 5);
    expect(s[1]).toBeCloseTo(0 - Math.SQRT2, 5);
    expect(s[2]).toBeCloseTo(r + Math.SQRT1_2, 5);
    expect(s[3]).toBe(-Infinity);
    const top = scorer.rerank(user, profile, cand, 4);
    expect([...top.items]).toEqual([2, 0, 1, -1]);
    // Pure CF keeps the CF order.
    expect([...scorer.withWeights({ content: 0 }).rerank(user, profile, cand, 3).items]).toEqual([2, 1, 0]);
  });

  it('retrieves and reranks a block, excluding listed tracks', async () => {
    const users = Float32Array.of(1, 0, 0, 1);
    const profiles = Float32Array.of(1, 0, 0, 1);
    const out = await scorer.recommendBlock(users, profiles, 3, 2, { indptr: Int32Array.of(0, 1, 1), indices: Int32Array.of(2) });
    expect(out.items.subarray(0, 2)).not.toContain(2);
    expect(out.items[2]).toBe(3); // user 2 likes factor 2 and content dim 1: track 3 wins both
  });

  it('rejects mismatched shapes naming the argument', () => {
    expect(() => new HybridScorer({ itemFactors, factors: 2, unitContent: new Float32Array(3), dim: 2 })).toThrow(/unitContent/);
    expect(() => scorer.score(new Float32Array(3), new Float32Array(2), Int32Array.of(0))).toThrow(/user vector/);
  });
});

/**
 * A hand-made model: tracks 0–3 are "rock" (factor e1), tracks 4–7 "jazz" (factor e2). Users 0–5
 * listen to rock, users 6–9 to jazz; track 4 is the single most popular track.
 */
function toyModel(): Model {
  const items = Dictionary.from(['r0', 'r1', 'r2', 'r3', 'j0', 'j1', 'j2', 'j3']);
  const users = Dictionary.from(Array.from({ length: 10 }, (_, u) => `u${u}`));
  const itemFactors = new Float32Array(16);
  for (let i = 0; i < 8; i++) itemFactors[i * 2 + (i < 4 ? 0 : 1)] = 1 - 0.1 * (i % 4);
  const userFactors = new Float32Array(20);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < 10; u++) {
    userFactors[u * 2 + (u < 6 ? 0 : 1)] = 1;
    const mine = u < 6 ? [0, 1, 2] : [5, 6];
    for (const i of [...mine, 4]) {
      rows.push(u);
      cols.push(i);
    }
  }
  const ones = new Float32Array(rows.length).fill(1);
  const csr = buildCsr(10, 8, Int32Array.from(rows), Int32Array.from(cols), [ones, ones]);
  return new Model({
    params: { factors: 2, iterations: 1, regularization: 0.01, alpha: 1, confidence: 'linear', epsilon: 1, solver: 'cholesky', cgSteps: 3, seed: 1 },
    users,
    items,
    userFactors,
    itemFactors,
    seen: { indptr: csr.indptr, indices: csr.indices, pref: csr.values[0], weight: csr.values[1] },
    history: [],
  });
}

function catalogTable(): RawTable {
  const ids = ['r0', 'r1', 'r2', 'r3', 'j0', 'j1', 'j2', 'j3'];
  return {
    file: 'mem.csv',
    locate: 'line',
    rows: 8,
    where: Int32Array.from({ length: 8 }, (_, i) => i + 2),
    names: ['track_id', 'artist_id', 'genres'],
    text: new Map([
      ['track_id', ids],
      ['artist_id', ['R', 'R', 'R', 'R2', 'J', 'J', 'J', 'J']],
      ['genres', ['rock', 'rock', 'rock', 'rock', 'jazz', 'jazz', 'jazz', 'jazz']],
    ]) as RawTable['text'],
    numeric: new Map(),
    ignored: [],
  };
}

describe('coldStartRecommend', () => {
  const model = toyModel();
  const catalog = catalogFromTables(catalogTable());
  const regions = new Map(Array.from({ length: 10 }, (_, u) => [`u${u}`, u < 6 ? 'north' : 'south'] as const));
  const ctx = coldStartContext(model, { catalog, userRegions: regions });

  it('folds in a user from a few interactions and does not recommend them back', async () => {
    const r = await coldStartRecommend(ctx, { history: [{ trackId: 'j1' }] }, { n: 3 });
    expect(r.strategy).toBe('fold-in');
    expect(r.items.map((x) => x.trackId)).toEqual(['j0', 'j2', 'j3']);
  });

  it('expands an onboarding artist into its most popular tracks', async () => {
    expect([...ctx.artistTracks.get('R')!]).toEqual([0, 1, 2]);
    const r = await coldStartRecommend(ctx, { artists: ['R'] }, { n: 2, tracksPerArtist: 2 });
    expect(r.seeds).toBe(2);
    expect(r.items.map((x) => x.trackId)).toEqual(['r0', 'r1']);
  });

  it('falls back to regional popularity with a genre prior for a user with nothing', async () => {
    const global = await coldStartRecommend(ctx, {}, { n: 2, genrePrior: 0 });
    expect(global.strategy).toBe('popularity');
    expect(global.items[0].trackId).toBe('j0'); // heard by all 10 users
    const south = await coldStartRecommend(ctx, { region: 'south' }, { n: 3, genrePrior: 0 });
    expect(south.items.map((x) => x.trackId)).toEqual(['j0', 'j1', 'j2']);
    // The genre prior breaks ties among equally (un)popular tracks toward the chosen genre.
    const none = await coldStartRecommend(ctx, { region: 'north', genres: ['Jazz'] }, { n: 6, genrePrior: 0.3 });
    expect(none.items.map((x) => x.trackId).slice(0, 4)).toEqual(['j0', 'r0', 'r1', 'r2']);
    expect(none.items[4].trackId).toBe('j1');
    // Unknown picks fall back to popularity too.
    expect((await coldStartRecommend(ctx, { artists: ['nobody'] })).strategy).toBe('popularity');
  });
});
