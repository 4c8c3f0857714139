import { describe, expect, it } from 'vitest';
import { AliasTable, Rng, hashSeed } from '../../src/generate/index.js';

describe('Rng', () => {
  it('repeats a stream for the same key and differs across keys', () => {
    const a = new Rng(42, 1, 2);
    const b = new Rng(42, 1, 2);
    const c = new Rng(42, 1, 3);
    const xa = Array.from({ length: 8 }, () => a.nextUint32());
    const xb = Array.from({ length: 8 }, () => b.nextUint32());
    const xc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    expect(hashSeed(1, 2)).not.toBe(hashSeed(2, 1));
  });

  it('draws uniform floats, normals and Poisson counts with the right moments', () => {
    const r = new Rng(1);
    const n = 50_000;
    let s = 0;
    let s2 = 0;
    let nm = 0;
    let nv = 0;
    let pm = 0;
    for (let i = 0; i < n; i++) {
      const u = r.float();
      if (!(u >= 0 && u < 1)) throw new Error(`float() gave ${u}`);
      s += u;
      s2 += u * u;
      const z = r.normal();
      nm += z;
      nv += z * z;
      pm += r.poisson(3.5);
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(nm / n).toBeCloseTo(0, 1);
    expect(nv / n).toBeCloseTo(1, 1);
    expect(pm / n).toBeCloseTo(3.5, 1);
  });

  it('gamma has mean equal to its shape, also below 1', () => {
    const r = new Rng(3);
    for (const shape of [0.4, 2.5]) {
      let m = 0;
      for (let i = 0; i < 40_000; i++) m += r.gamma(shape);
      expect(m / 40_000).toBeCloseTo(shape, 1);
    }
  });

  it('permutation holds every index once', () => {
    const p = new Rng(5).permutation(1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rejects a bad seed', () => {
    expect(() => new Rng(-1)).toThrow(/seed/);
    expect(() => new Rng(1.5)).toThrow(/seed/);
  });
});

describe('AliasTable', () => {
  it('samples in proportion to the weights and maps slots to items', () => {
    const weights = [5, 0, 1, 3, 1];
    const items = Int32Array.from([10, 11, 12, 13, 14]);
    const t = new AliasTable(weights, items);
    const r = new Rng(9);
    const counts = new Map<number, number>();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = t.sample(r);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect(counts.get(11)).toBeUndefined();
    for (let k = 0; k < weights.length; k++) {
      if (weights[k] === 0) continue;
      expect((counts.get(items[k]) ?? 0) / n).toBeCloseTo(weights[k] / 10, 2);
    }
  });

  it('rejects empty, negative and non-finite weights', () => {
    expect(() => new AliasTable([0, 0])).toThrow(/positive/);
    expect(() => new AliasTable([1, -1])).toThrow(/weight 1/);
    expect(() => new AliasTable([1, Infinity])).toThrow(/weight 1/);
  });
});
