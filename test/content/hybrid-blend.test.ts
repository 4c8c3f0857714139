import { describe, expect, it } from 'vitest';
import { blendActive, HybridBlend, resolveBlendWeights } from '../../src/content/hybrid-blend.js';
import { HybridScorer } from '../../src/content/hybrid.js';
import { mulberry32 } from '../../src/util/random.js';

function unitRowsOf(rand: () => number, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      out[r * dim + j] = rand() * 2 - 1;
      s += out[r * dim + j] ** 2;
    }
    for (let j = 0; j < dim; j++) out[r * dim + j] /= Math.sqrt(s);
  }
  return out;
}

describe('HybridBlend', () => {
  // 4 tracks, 2 content dims (the HybridScorer test's hand-worked case).
  const unit = Float32Array.of(0, 1, 1, 0, 0, 1, 1, 0);

  it('rescales the hand-worked hybrid score onto the CF scale', () => {
    const b = new HybridBlend(unit, 2, resolveBlendWeights({ cf: 1, content: 1 }));
    expect(b.setProfile(Int32Array.of(0, 3), Float32Array.of(3, 1), 2)).toBe(true);
    const items = Int32Array.of(0, 1, 2, -1);
    const scores = Float32Array.of(1, 2, 3, -Infinity);
    b.apply(items, scores);
    // cf = [1, 2, 3]: mean 2, std √(2/3); hybrid h = [−√1.5 + 1/√2, −√2, √1.5 + 1/√2] (hybrid.test.ts).
    const r = Math.sqrt(1.5);
    const h = [-r + Math.SQRT1_2, -Math.SQRT2, r + Math.SQRT1_2];
    const std = Math.sqrt(2 / 3);
    for (let q = 0; q < 3; q++) expect(scores[q]).toBeCloseTo(2 + (std * h[q]) / 2, 5);
    expect(scores[3]).toBe(-Infinity);
    expect([...items]).toEqual([0, 1, 2, -1]);
  });

  it('orders random candidates exactly as HybridScorer does, and keeps the CF scores with content 0', () => {
    const rand = mulberry32(11);
    for (const [tracks, dim, m] of [
      [50, 1, 20],
      [300, 8, 200],
      [40, 16, 1],
      [64, 3, 64],
    ]) {
      const content = unitRowsOf(rand, tracks, dim);
      const itemFactors = unitRowsOf(rand, tracks, 4);
      const w = { cf: 0.5 + rand(), content: rand() * 2 };
      const scorer = new HybridScorer({ itemFactors, factors: 4, unitContent: content, dim, weights: w });
      const blend = new HybridBlend(content, dim, resolveBlendWeights(w));
      const user = unitRowsOf(rand, 1, 4);
      const hist = Int32Array.from({ length: 12 }, () => Math.floor(rand() * tracks));
      const weights = Float32Array.from({ length: 12 }, () => rand() * 3 - 0.5);
      const pool = Int32Array.from({ length: tracks }, (_, i) => i);
      for (let i = tracks - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      const items = new Int32Array(m + 3).fill(-1);
      items.set(pool.subarray(0, m));
      const cf = new Float32Array(m + 3).fill(-Infinity);
      for (let q = 0; q < m; q++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += user[j] * itemFactors[items[q] * 4 + j];
        cf[q] = s;
      }
      const reference = scorer.score(user, scorer.profile(hist, weights), items, cf);
      expect(blend.setProfile(hist, weights, hist.length)).toBe(true);
      const scores = cf.slice();
      blend.apply(items, scores);
      const order = (s: Float32Array): number[] =>
        Array.from({ length: m }, (_, q) => q).sort((a, b) => s[b] - s[a] || a - b);
      expect(order(scores)).toEqual(order(reference));
      for (let q = m; q < m + 3; q++) expect(scores[q]).toBe(-Infinity);

      const off = new HybridBlend(content, dim, resolveBlendWeights({ cf: 1, content: 0 }));
      off.setProfile(hist, weights, hist.length);
      const same = cf.slice();
      off.apply(items, same);
      for (let q = 0; q < m; q++) expect(same[q]).toBeCloseTo(cf[q], 5);
    }
  });

  it('has no profile without positive history, and leaves empty or single candidate lists as they are', () => {
    const b = new HybridBlend(unit, 2, resolveBlendWeights({ content: 0.5 }));
    expect(b.setProfile(Int32Array.of(1, 2), Float32Array.of(0, -2), 2)).toBe(false);
    expect(b.setProfile(new Int32Array(0), new Float32Array(0), 0)).toBe(false);
    expect(b.setProfile(Int32Array.of(1), Float32Array.of(1), 1)).toBe(true);
    const none = Int32Array.of(-1, -1);
    const noneScores = Float32Array.of(-Infinity, -Infinity);
    b.apply(none, noneScores);
    expect([...noneScores]).toEqual([-Infinity, -Infinity]);
    const one = Float32Array.of(0.7);
    b.apply(Int32Array.of(3), one);
    expect(one[0]).toBeCloseTo(0.7, 6);
  });

  it('still orders by content when every CF score is the same', () => {
    const b = new HybridBlend(unit, 2, resolveBlendWeights({ cf: 1, content: 1 }));
    b.setProfile(Int32Array.of(1), Float32Array.of(1), 1); // profile = (1, 0): tracks 1 and 3
    const items = Int32Array.of(0, 1, 2, 3);
    const scores = Float32Array.of(2, 2, 2, 2);
    b.apply(items, scores);
    expect(scores[1]).toBeGreaterThan(scores[0]);
    expect(scores[3]).toBeGreaterThan(scores[2]);
    expect(scores[1]).toBeCloseTo(scores[3], 6);
  });

  it('checks its weights and content', () => {
    expect(resolveBlendWeights(undefined)).toEqual({ cf: 1, content: 0 });
    expect(blendActive(resolveBlendWeights(undefined))).toBe(false);
    expect(blendActive(resolveBlendWeights({ content: 0.2 }))).toBe(true);
    expect(() => resolveBlendWeights({ cf: 0, content: 0 }, 'flags')).toThrow(/flags: the cf and content weights cannot both be 0/);
    expect(() => resolveBlendWeights({ content: -1 })).toThrow(/content weight must be a finite number ≥ 0, got -1/);
    expect(() => resolveBlendWeights({ cf: Number.NaN })).toThrow(/cf weight/);
    expect(() => new HybridBlend(new Float32Array(5), 2, resolveBlendWeights({}))).toThrow(/not a multiple of dim 2/);
  });
});
