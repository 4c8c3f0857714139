import { describe, expect, it } from 'vitest';
import { exactCandidates } from '../../src/retrieve/candidates.js';
import { mergeExclusions, userRange } from '../../src/retrieve/exclusion-rows.js';
import { popularityQuantile } from '../../src/rerank/item-features.js';
import { resolveRerankOptions, type RerankOptions } from '../../src/rerank/options.js';
import { REASON_DISCOVERY, REASON_NEW_RELEASE, Reranker, allocSlots } from '../../src/rerank/reranker.js';
import { buildFeatures } from '../../src/playlist/prepare.js';
import { makeWorld } from '../playlist/world.js';
import { dotInFixedOrder, rowOf } from '../reference/row-dots.js';

const world = makeWorld({ users: 120, seed: 3 });
const { data } = world;
const k = data.params.factors;
const U = data.users.size;
const C = 300;
const cands = exactCandidates(data.userFactors, data.itemFactors, k, C, mergeExclusions({ tracks: [data.seen] }, userRange(0, U)));
const features = buildFeatures(data, world.meta);

function run(opts: RerankOptions, key = 1, f = features) {
  const r = new Reranker(f, opts, C);
  const size = r.opts.size;
  const out = allocSlots(U, size);
  for (let u = 0; u < U; u++) {
    const hist = data.seen.indices.subarray(data.seen.indptr[u], data.seen.indptr[u + 1]);
    r.rerank(cands.items.subarray(u * C, (u + 1) * C), cands.scores.subarray(u * C, (u + 1) * C), hist, key * 7919 + u, out, u);
  }
  return out;
}

function meanDiversity(out: ReturnType<typeof run>): number {
  let sum = 0;
  let pairs = 0;
  for (let u = 0; u < U; u++) {
    for (let a = 0; a < out.count[u]; a++) {
      for (let b = a + 1; b < out.count[u]; b++) {
        const x = out.items[u * out.size + a];
        const y = out.items[u * out.size + b];
        let dot = 0;
        for (let j = 0; j < k; j++) dot += features.unitFactors[x * k + j] * features.unitFactors[y * k + j];
        sum += 1 - dot;
        pairs++;
      }
    }
  }
  return sum / pairs;
}

function meanPopularity(out: ReturnType<typeof run>): number {
  let s = 0;
  let n = 0;
  for (let u = 0; u < U; u++) for (let j = 0; j < out.count[u]; j++) (s += features.popularity[out.items[u * out.size + j]]), n++;
  return s / n;
}

/**
 * Plain greedy MMR over all of a user's candidates (no exploration, no freshness, no genre spread):
 * every pick brings every candidate's max-similarity up to date, and the next pick is the allowed
 * candidate of the largest λ·rel − (1−λ)·maxSim, the earlier on a tie. Relevance and similarities
 * are kept in float32 as the re-ranker keeps them.
 */
function greedyMmrReference(items: Int32Array, scores: Float32Array, o: { size: number; lambda: number; artistCap: number; popularityPenalty: number }): number[] {
  let c = 0;
  while (c < items.length && items[c] >= 0) c++;
  const rel = new Float32Array(c);
  let best = 0;
  for (let p = 0; p < c; p++) {
    const pf = Math.fround(Math.pow(1 + Math.max(0, features.popularity[items[p]]), -o.popularityPenalty));
    const r = scores[p] >= 0 ? scores[p] * pf : scores[p] / pf;
    rel[p] = r;
    if (r > best) best = r;
  }
  const inv = best > 0 ? 1 / best : 1;
  for (let p = 0; p < c; p++) rel[p] *= inv;
  const maxSim = new Float32Array(c);
  const picked = new Uint8Array(c);
  const perArtist = new Map<number, number>();
  const picks: number[] = [];
  while (picks.length < o.size) {
    let pick = -1;
    let bestValue = -Infinity;
    for (let p = 0; p < c; p++) {
      if (picked[p] || (perArtist.get(features.artist[items[p]]) ?? 0) >= o.artistCap) continue;
      const v = o.lambda * rel[p] - (1 - o.lambda) * maxSim[p];
      if (v > bestValue) (bestValue = v), (pick = p);
    }
    if (pick < 0) break;
    picked[pick] = 1;
    picks.push(items[pick]);
    perArtist.set(features.artist[items[pick]], (perArtist.get(features.artist[items[pick]]) ?? 0) + 1);
    for (let p = 0; p < c; p++) maxSim[p] = Math.max(maxSim[p], dotInFixedOrder(rowOf(features.diversity, features.diversityDim, items[p]), rowOf(features.diversity, features.diversityDim, items[pick])));
  }
  return picks;
}

describe('Reranker', () => {
  it('picks as a plain greedy MMR does, though it brings similarities up to date lazily', () => {
    for (const o of [
      { size: 20, lambda: 0.7, artistCap: 2, popularityPenalty: 0.1 },
      { size: 30, lambda: 0.4, artistCap: 1, popularityPenalty: 0 },
    ]) {
      const r = new Reranker(features, { ...o, explorationShare: 0, mmrPool: C }, C);
      const out = allocSlots(U, o.size);
      for (let u = 0; u < U; u++) {
        const items = cands.items.subarray(u * C, (u + 1) * C);
        const scores = cands.scores.subarray(u * C, (u + 1) * C);
        r.select(items, scores, new Int32Array(0), u, out, u);
        const want = greedyMmrReference(items, scores, o);
        expect([...out.items.subarray(u * o.size, u * o.size + out.count[u])]).toEqual(want);
      }
    }
  });

  it('fills every playlist to size with no artist above the cap and no repeated track', () => {
    const out = run({ size: 30, artistCap: 2 });
    for (let u = 0; u < U; u++) {
      expect(out.count[u]).toBe(30);
      const row = [...out.items.subarray(u * 30, u * 30 + 30)];
      expect(new Set(row).size).toBe(30);
      const perArtist = new Map<number, number>();
      for (const t of row) perArtist.set(world.meta.trackArtist[t], (perArtist.get(world.meta.trackArtist[t]) ?? 0) + 1);
      expect(Math.max(...perArtist.values())).toBeLessThanOrEqual(2);
    }
  });

  it('is reproducible for the same key and draws other discoveries for another key', () => {
    const a = run({}, 1);
    const b = run({}, 1);
    const c = run({}, 2);
    expect([...a.items]).toEqual([...b.items]);
    expect([...a.items]).not.toEqual([...c.items]);
  });

  it('gives the exploration share to less popular discoveries that fit the taste', () => {
    const out = run({ explorationShare: 0.2, discoveryQuantile: 0.7 });
    const threshold = popularityQuantile(features.popularity, 0.7);
    let discoveries = 0;
    for (let s = 0; s < out.items.length; s++) {
      if (out.reason[s] !== REASON_DISCOVERY) continue;
      discoveries++;
      expect(features.popularity[out.items[s]]).toBeLessThanOrEqual(threshold);
    }
    expect(discoveries).toBe(U * 6);
    const none = run({ explorationShare: 0 });
    expect([...none.reason].filter((r) => r === REASON_DISCOVERY)).toHaveLength(0);
  });

  it('raises intra-list diversity as λ falls and lowers mean popularity as the penalty grows', () => {
    const div = [1, 0.7, 0.4].map((lambda) => meanDiversity(run({ lambda, explorationShare: 0, popularityPenalty: 0 })));
    expect(div[1]).toBeGreaterThan(div[0]);
    expect(div[2]).toBeGreaterThan(div[1]);
    const pop = [0, 0.3, 1].map((popularityPenalty) => meanPopularity(run({ popularityPenalty, explorationShare: 0, lambda: 1 })));
    expect(pop[1]).toBeLessThan(pop[0]);
    expect(pop[2]).toBeLessThan(pop[1]);
  });

  it('keeps every genre at or below its share when a genre spread is set', () => {
    const f = { ...features, genre: world.trackGenre };
    const out = run({ maxGenreShare: 0.4, size: 20 }, 1, f);
    for (let u = 0; u < U; u++) {
      const counts = new Map<number, number>();
      for (let j = 0; j < out.count[u]; j++) {
        const g = world.trackGenre[out.items[u * 20 + j]];
        counts.set(g, (counts.get(g) ?? 0) + 1);
      }
      expect(out.count[u]).toBe(20);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(8);
    }
  });

  it('boosts recent releases of liked artists and says so', () => {
    const asOf = Date.UTC(2026, 10, 27);
    const releaseMs = new Float64Array(data.items.size).fill(Date.UTC(2020, 0, 1));
    // Every 5th track is a release of last week.
    for (let t = 0; t < releaseMs.length; t += 5) releaseMs[t] = asOf - 3 * 86_400_000;
    const f = { ...features, releaseMs };
    const fresh = (out: ReturnType<typeof run>): number => [...out.items].filter((t) => t >= 0 && t % 5 === 0).length;
    const base = run({ asOf, explorationShare: 0 }, 1, f);
    const boosted = run({ asOf, explorationShare: 0, freshnessBoost: 0.5 }, 1, f);
    expect(fresh(boosted)).toBeGreaterThan(fresh(base) * 1.5);
    expect([...boosted.reason].some((r) => r === REASON_NEW_RELEASE)).toBe(true);
    expect([...base.reason].some((r) => r === REASON_NEW_RELEASE)).toBe(false);
  });

  it('names near-best history tracks as reasons, least cited first, never a track itself', () => {
    const out = run({});
    const u8 = features.unitFactors;
    const cos = (a: number, b: number): number => {
      let s = 0;
      for (let j = 0; j < k; j++) s += u8[a * k + j] * u8[b * k + j];
      return s;
    };
    // The rule in plain terms: per slot in playlist order, among the four most similar history
    // tracks, the least cited so far of those within 90% of the best cosine (ties to the more
    // similar); the second reference likewise without the first, else the most similar left.
    let checked = 0;
    let spread = 0;
    for (let u = 0; u < U; u++) {
      const hist = [...data.seen.indices.subarray(data.seen.indptr[u], data.seen.indptr[u + 1])];
      const cites = new Map<number, number>();
      const pick = (ranked: number[], sims: number[], taken: number): number => {
        const floor = sims[0] > 0 ? sims[0] * 0.9 : sims[0];
        let best = -1;
        let next = -1;
        for (let j = 0; j < ranked.length; j++) {
          if (ranked[j] === taken) continue;
          if (next < 0) next = ranked[j];
          if (sims[j] < floor - 1e-6) break;
          if (best < 0 || (cites.get(ranked[j]) ?? 0) < (cites.get(best) ?? 0)) best = ranked[j];
        }
        return best >= 0 ? best : next;
      };
      for (let j = 0; j < out.count[u]; j++) {
        const o = u * out.size + j;
        if (out.reason[o] === REASON_NEW_RELEASE) continue;
        const t = out.items[o];
        const ranked = hist.filter((h) => h !== t).sort((a, b) => cos(t, b) - cos(t, a) || a - b).slice(0, 4);
        const sims = ranked.map((h) => cos(t, h));
        const a = pick(ranked, sims, -1);
        const b = pick(ranked, sims, a);
        expect(out.refA[o]).not.toBe(t);
        expect(out.refA[o]).toBe(a);
        expect(out.refB[o]).toBe(b);
        expect(cos(t, out.refA[o])).toBeGreaterThanOrEqual(0.9 * sims[0] - 1e-5);
        if (a !== ranked[0]) spread++;
        cites.set(a, (cites.get(a) ?? 0) + 1);
        cites.set(b, (cites.get(b) ?? 0) + 1);
        checked++;
      }
    }
    // The reasons did move off the single most similar track somewhere.
    expect(spread).toBeGreaterThan(0);
    expect(checked).toBe(U * 30);
    // A history track among the slots is skipped as its own reason.
    const r = new Reranker(features, {}, C);
    const slots = allocSlots(1, r.opts.size);
    r.select(cands.items.subarray(0, C), cands.scores.subarray(0, C), new Int32Array(0), 1, slots, 0);
    const own = Int32Array.of(slots.items[0], slots.items[1], slots.items[2]);
    r.explain(own, slots, 0);
    expect(slots.refA[0]).not.toBe(own[0]);
    expect([own[1], own[2]]).toContain(slots.refA[0]);
  });

  it('explains a short playlist (fewer eligible candidates than slots)', () => {
    // Ten candidates for 30 slots: the list stops short and its reasons still name history tracks.
    const r = new Reranker(features, { size: 30 }, 10);
    const out = allocSlots(1, 30);
    const u = 5;
    const hist = data.seen.indices.subarray(data.seen.indptr[u], data.seen.indptr[u + 1]);
    expect(hist.length).toBeGreaterThan(1);
    const n = r.rerank(cands.items.subarray(u * C, u * C + 10), cands.scores.subarray(u * C, u * C + 10), hist, 1, out, 0);
    expect(n).toBeLessThan(30);
    expect(out.count[0]).toBe(n);
    const named = [...out.refA.subarray(0, n)].filter((t) => t >= 0);
    expect(named.length).toBeGreaterThan(0);
    for (const t of named) expect(hist).toContain(t);
  });

  it('rejects bad knobs with the option name', () => {
    expect(() => resolveRerankOptions({ lambda: 2 })).toThrow(/lambda/);
    expect(() => resolveRerankOptions({ artistCap: 0 })).toThrow(/artistCap/);
    expect(() => resolveRerankOptions({ maxGenreShare: 0 })).toThrow(/maxGenreShare/);
  });
});
