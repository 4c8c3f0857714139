import { describe, expect, it } from 'vitest';
import { resolveBlendWeights } from '../../src/content/hybrid-blend.js';
import { HybridScorer } from '../../src/content/hybrid.js';
import { blendCandidates } from '../../src/eval/blend-candidates.js';
import { bestOfRows, factorCandidates } from '../../src/eval/candidates.js';
import { HybridRanker } from '../../src/eval/hybrid-ranker.js';
import { rerankCandidates, rerankFeatures } from '../../src/eval/rerank-ranker.js';
import { randomInteractions, rowsOf } from './fixtures.js';
import { mulberry32, randomFloats } from '../reference/random.js';

const rng = mulberry32(29);
const k = 6;
const dim = 5;
const usersN = 30;
const itemsN = 60;
const U = randomFloats(rng, usersN * k, -1, 1);
const V = randomFloats(rng, itemsN * k, -1, 1);
const raw = randomFloats(rng, itemsN * dim, -1, 1);
const content = new Float32Array(itemsN * dim);
for (let i = 0; i < itemsN; i++) {
  const row = raw.subarray(i * dim, (i + 1) * dim);
  const n = Math.hypot(...row);
  for (let j = 0; j < dim; j++) content[i * dim + j] = i % 9 === 4 ? 0 : row[j] / n; // some tracks without content
}
const history = randomInteractions(usersN, itemsN, 3);
const exclude = rowsOf(itemsN, Array.from({ length: usersN }, (_, u) => Array.from(history.indices.subarray(history.indptr[u], history.indptr[u + 1]))));
const users = Int32Array.from({ length: usersN }, (_, u) => u);
const weights = resolveBlendWeights({ cf: 1, content: 0.7 });

/** HybridScorer's score order of row r's candidates (its own profile, pref-0 entries left out). */
function referenceOrder(items: Int32Array, scores: Float32Array, u: number): number[] {
  const scorer = new HybridScorer({ itemFactors: V, factors: k, unitContent: content, dim, weights });
  const s = history.indptr[u];
  const e = history.indptr[u + 1];
  const w = Float32Array.from({ length: e - s }, (_, p) => (history.pref[s + p] > 0 ? history.weight[s + p] : 0));
  const h = scorer.score(U.subarray(u * k, (u + 1) * k), scorer.profile(history.indices.subarray(s, e), w), items, scores);
  return Array.from({ length: items.length }, (_, q) => q)
    .filter((q) => items[q] >= 0)
    .sort((a, b) => h[b] - h[a] || a - b)
    .map((q) => items[q]);
}

describe('the hybrid stage on evaluation candidates', () => {
  it('orders every user\'s candidates as HybridScorer does', () => {
    const width = 25;
    const cand = factorCandidates(U, V, k, users, width, exclude);
    const before = { items: cand.items.slice(), scores: cand.scores.slice() };
    blendCandidates(cand, users, { content: { data: content, dim }, history, weights });
    expect(cand.items).toEqual(before.items);
    for (let r = 0; r < usersN; r++) {
      const items = cand.items.subarray(r * width, (r + 1) * width);
      const got = Array.from({ length: width }, (_, q) => q)
        .filter((q) => items[q] >= 0)
        .sort((a, b) => cand.scores[r * width + b] - cand.scores[r * width + a] || a - b)
        .map((q) => items[q]);
      expect(got, `user ${r}`).toEqual(referenceOrder(before.items.subarray(r * width, (r + 1) * width), before.scores.subarray(r * width, (r + 1) * width), r));
    }
  });

  it('feeds the re-ranker: pure relevance without debiasing gives the hybrid top-K', () => {
    const features = rerankFeatures({ itemFactors: V, factors: k, popularity: new Float32Array(itemsN) });
    const options = { lambda: 1, explorationShare: 0, artistCap: 1 << 20, popularityPenalty: 0 };
    const blend = { content: { data: content, dim }, history, weights };
    const width = 20;
    const cand = factorCandidates(U, V, k, users, width, exclude);
    const plain = rerankCandidates(cand, users, 8, features, options);
    const blended = { ...cand, scores: cand.scores.slice() };
    blendCandidates(blended, users, blend);
    const lists = rerankCandidates(blended, users, 8, features, options);
    let differ = 0;
    for (let r = 0; r < usersN; r++) {
      const want = referenceOrder(cand.items.subarray(r * width, (r + 1) * width), cand.scores.subarray(r * width, (r + 1) * width), r).slice(0, 8);
      expect(Array.from(lists.subarray(r * 8, (r + 1) * 8)), `user ${r}`).toEqual(want);
      if (lists.subarray(r * 8, (r + 1) * 8).some((x: number, i: number) => x !== plain[r * 8 + i])) differ++;
    }
    expect(differ).toBeGreaterThan(usersN / 2);
  });
});

describe('the hybrid ranker and the cut after rescoring', () => {
  it('keeps each row\'s k best by score, ties to the earlier candidate, −1 padded', () => {
    const r = mulberry32(5);
    for (const [rows, width, k] of [
      [7, 12, 5],
      [3, 4, 6],
      [5, 30, 30],
      [1, 1, 1],
      [0, 8, 3],
    ]) {
      const items = new Int32Array(rows * width);
      const scores = new Float32Array(rows * width);
      for (let q = 0; q < rows * width; q++) {
        items[q] = q % width < width - (Math.floor(q / width) % 3) ? Math.floor(r() * 100) : -1; // some rows short
        scores[q] = Math.round(r() * 8) / 4; // many ties
      }
      const got = bestOfRows({ items, scores, width }, k);
      for (let row = 0; row < rows; row++) {
        const valid = [];
        for (let q = 0; q < width && items[row * width + q] >= 0; q++) valid.push(q);
        valid.sort((a, b) => scores[row * width + b] - scores[row * width + a] || a - b);
        const want = valid.slice(0, k).map((q) => items[row * width + q]);
        while (want.length < k) want.push(-1);
        expect(Array.from(got.subarray(row * k, (row + 1) * k))).toEqual(want);
      }
    }
    expect(bestOfRows({ items: Int32Array.of(3), scores: Float32Array.of(1), width: 1 }, 0)).toHaveLength(0);
  });

  it('ranks as HybridScorer over the same CF candidates, on this thread and on the pool', async () => {
    const ranker = new HybridRanker('hybrid', U, V, k, { data: content, dim }, history, weights, 25);
    const lists = ranker.recommend(users, 10, exclude);
    const cand = factorCandidates(U, V, k, users, 25, exclude);
    for (let r = 0; r < usersN; r++) {
      const want = referenceOrder(cand.items.subarray(r * 25, (r + 1) * 25), cand.scores.subarray(r * 25, (r + 1) * 25), r).slice(0, 10);
      expect(Array.from(lists.subarray(r * 10, (r + 1) * 10)), `user ${r}`).toEqual(want);
    }
    expect(await ranker.recommendAsync(users, 10, exclude, 2)).toEqual(lists);
    // Content weight 0: the CF order.
    const cf = new HybridRanker('cf', U, V, k, { data: content, dim }, history, { content: 0 }, 25).recommend(users, 10, exclude);
    expect(cf).toEqual(bestOfRows(cand, 10));
  });
});
