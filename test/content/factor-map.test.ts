import { describe, expect, it } from 'vitest';
import { blendFactors, fitFactorMap, predictFactors } from '../../src/content/factor-map.js';
import { SeededNormal } from '../../src/content/random.js';

function gaussian(n: number, seed: number): Float32Array {
  const g = new SeededNormal(seed);
  return Float32Array.from({ length: n }, () => g.next());
}

describe('content → factor ridge map', () => {
  const rows = 600;
  const d = 8;
  const k = 4;
  const C = gaussian(rows * d, 1);
  const Wtrue = gaussian(d * k, 2);
  const bias = Float32Array.from([0.5, -1, 2, 0]);
  const noise = gaussian(rows * k, 3);
  const F = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      let s = bias[j] + 0.01 * noise[r * k + j];
      for (let a = 0; a < d; a++) s += C[r * d + a] * Wtrue[a * k + j];
      F[r * k + j] = s;
    }
  }

  it('recovers a planted linear map and intercept', () => {
    const map = fitFactorMap(C, F, d, k, undefined, { lambda: 1e-3 });
    expect(map.fittedRows).toBe(rows);
    for (let p = 0; p < d * k; p++) expect(map.W[p]).toBeCloseTo(Wtrue[p], 2);
    const origin = predictFactors(map, new Float32Array(d));
    for (let j = 0; j < k; j++) expect(origin[j]).toBeCloseTo(bias[j], 2);
  });

  it('ignores rows of weight 0 and shrinks towards 0 as λ grows', () => {
    const spoiled = F.slice();
    const weight = new Float32Array(rows).fill(1);
    for (let r = 0; r < 100; r++) {
      weight[r] = 0;
      for (let j = 0; j < k; j++) spoiled[r * k + j] = 1000;
    }
    const map = fitFactorMap(C, spoiled, d, k, weight, { lambda: 1e-3 });
    expect(map.fittedRows).toBe(500);
    for (let p = 0; p < d * k; p++) expect(map.W[p]).toBeCloseTo(Wtrue[p], 2);
    const heavy = fitFactorMap(C, F, d, k, undefined, { lambda: 1e6 });
    let norm = 0;
    for (let p = 0; p < d * k; p++) norm += heavy.W[p] ** 2;
    expect(Math.sqrt(norm)).toBeLessThan(0.05);
  });

  it('rejects bad shapes and weights naming the argument', () => {
    expect(() => fitFactorMap(C, F.subarray(1), d, k)).toThrow(/factors length/);
    expect(() => fitFactorMap(C, F, d, k, new Float32Array(rows))).toThrow(/no rows with positive weight/);
    expect(() => fitFactorMap(C, F, d, k, Float32Array.from({ length: rows }, (_, i) => (i === 3 ? -1 : 1)))).toThrow(/weight\[3\]/);
  });

  it('blends CF and content with β = m / (m + listens) and corrects cold tracks by their artist residual', () => {
    // One content dim, one factor: f̂(c) = c exactly (W = 1, no intercept).
    const map = { factors: 1, dim: 1, lambda: 0, W: Float32Array.of(1), contentMean: Float32Array.of(0), factorMean: Float32Array.of(0), blendM: 5, artistShrink: 2, fittedRows: 0 };
    const content = Float32Array.of(1, 1, 1, 1);
    const cf = Float32Array.of(3, 3, 0, 0);
    const hasCf = Uint8Array.of(1, 1, 1, 0);
    const listens = Float32Array.of(95, 5, 0, 0);
    const plain = blendFactors({ map, content, cf, hasCf, listens });
    expect([...plain.beta]).toEqual([0.05000000074505806, 0.5, 1, 1]);
    expect(plain.factors[0]).toBeCloseTo(0.95 * 3 + 0.05 * 1, 6);
    expect(plain.factors[1]).toBeCloseTo(2, 6);
    expect([...plain.source]).toEqual([1, 1, 1, 2]);
    // Artist 0 owns tracks 0, 1 and the cold track 3: residual 2 (=3−1) on both warm tracks,
    // shrunk by 2/(2+2) → cold prediction 1 + 1 = 2. Track 2 has no artist.
    const withArtist = blendFactors({ map, content, cf, hasCf, listens, trackArtist: Int32Array.of(0, 0, -1, 0) });
    expect(withArtist.factors[3]).toBeCloseTo(2, 6);
    expect(withArtist.factors[2]).toBeCloseTo(1, 6);
  });
});
