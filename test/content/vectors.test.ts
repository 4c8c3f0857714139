import { describe, expect, it } from 'vitest';
import { fitStandardizer, standardize } from '../../src/content/standardize.js';
import { fitIdf, tfidfRows } from '../../src/content/tfidf.js';
import { project, randomizedSvd } from '../../src/content/rsvd.js';
import { symmetricEigen } from '../../src/content/sym-eigen.js';
import { buildContentModel, ContentModel } from '../../src/content/content-model.js';
import { contentCosine, similarByContent } from '../../src/content/similarity.js';
import { catalogFromTables } from '../../src/data/catalog.js';
import type { RawTable } from '../../src/data/catalog-table.js';

describe('standardisation', () => {
  it('gives hand-computed z-scores with the population std', () => {
    // Column 0: 1, 2, 3 → mean 2, std √(2/3). Column 1 constant → 0.
    const x = Float32Array.from([1, 5, 2, 5, 3, 5]);
    const s = fitStandardizer(x, 2, ['a', 'b']);
    expect([...s.mean]).toEqual([2, 5]);
    expect(s.invStd[0]).toBeCloseTo(1 / Math.sqrt(2 / 3), 12);
    expect(s.invStd[1]).toBe(0);
    const z = standardize(s, x);
    const r = Math.sqrt(3 / 2);
    expect(z[0]).toBeCloseTo(-r, 6);
    expect(z[2]).toBeCloseTo(0, 6);
    expect(z[4]).toBeCloseTo(r, 6);
    expect([z[1], z[3], z[5]]).toEqual([0, 0, 0]);
  });
});

describe('TF-IDF', () => {
  it('matches hand-computed smoothed idf, sublinear tf and L2 rows', () => {
    // 3 documents over terms {0, 1, 2}: d0 = {0×1, 1×2}, d1 = {0×1}, d2 = {2×1}.
    const indptr = Int32Array.from([0, 2, 3, 4]);
    const indices = Int32Array.from([0, 1, 0, 2]);
    const counts = Float32Array.from([1, 2, 1, 1]);
    const idf = fitIdf(indptr, indices, 3);
    expect(idf[0]).toBeCloseTo(Math.log(4 / 3) + 1, 12);
    expect(idf[1]).toBeCloseTo(Math.log(4 / 2) + 1, 12);
    expect(idf[2]).toBeCloseTo(Math.log(4 / 2) + 1, 12);
    const w = tfidfRows(indptr, indices, counts, idf);
    const a = idf[0];
    const b = (1 + Math.log(2)) * idf[1];
    const norm = Math.hypot(a, b);
    expect(w.values[0]).toBeCloseTo(a / norm, 6);
    expect(w.values[1]).toBeCloseTo(b / norm, 6);
    expect(w.values[2]).toBeCloseTo(1, 6);
    expect(w.values[3]).toBeCloseTo(1, 6);
  });
});

describe('randomized SVD', () => {
  it('recovers the top singular values of a low-rank sparse matrix exactly and is seed-deterministic', () => {
    // 60 × 40 matrix of rank 3 with sparse structure: three disjoint blocks of terms.
    const rows = 60;
    const cols = 40;
    const indptr = new Int32Array(rows + 1);
    const idx: number[] = [];
    const val: number[] = [];
    for (let r = 0; r < rows; r++) {
      const block = r % 3;
      for (let c = block * 10; c < block * 10 + 8; c++) {
        idx.push(c);
        val.push(1 + ((r * 7 + c * 3) % 5) / 10); // not exactly rank 3, so compare with a dense solve
      }
      indptr[r + 1] = idx.length;
    }
    const x = { indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
    // Reference: eigenvalues of XᵀX (dense, Jacobi).
    const xtx = new Float64Array(cols * cols);
    for (let r = 0; r < rows; r++) {
      for (let p = indptr[r]; p < indptr[r + 1]; p++) for (let q = indptr[r]; q < indptr[r + 1]; q++) xtx[idx[p] * cols + idx[q]] += val[p] * val[q];
    }
    const ref = symmetricEigen(xtx, cols);
    const svd = randomizedSvd(x, cols, 5, { seed: 3, oversample: 10, powerIterations: 3 });
    for (let j = 0; j < 5; j++) expect(svd.singular[j]).toBeCloseTo(Math.sqrt(ref.values[j]), 4);
    const again = randomizedSvd(x, cols, 5, { seed: 3, oversample: 10, powerIterations: 3 });
    expect([...again.components]).toEqual([...svd.components]);
    // The projection X·V has the singular values as column norms.
    const emb = project(x, svd);
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += emb[r * 5 + j] ** 2;
      expect(Math.sqrt(s)).toBeCloseTo(svd.singular[j], 3);
    }
  });
});

function table(file: string, text: Record<string, string[]>, numeric: Record<string, number[]>): RawTable {
  const rows = Object.values(text)[0].length;
  return {
    file,
    locate: 'line',
    rows,
    where: Int32Array.from({ length: rows }, (_, i) => i + 2),
    names: [...Object.keys(text), ...Object.keys(numeric)],
    text: new Map(Object.entries(text)) as RawTable['text'],
    numeric: new Map(Object.entries(numeric).map(([k, v]) => [k, Float64Array.from(v)])),
    ignored: [],
  };
}

const catalog = catalogFromTables(
  table(
    'mem.csv',
    {
      track_id: ['r1', 'r2', 'r3', 'j1', 'j2', 'j3'],
      artist_id: ['A', 'A', 'B', 'C', 'C', 'D'],
      genres: ['rock', 'rock', 'rock|metal', 'jazz', 'jazz|swing', 'jazz'],
      tags: ['loud|guitar', 'loud', 'guitar|metal', 'smooth|sax', 'sax', 'smooth'],
    },
    { energy: [0.9, 0.8, 0.95, 0.2, 0.3, 0.25], tempo: [140, 130, 160, 90, 100, 95] },
  ),
);

describe('content model', () => {
  const cm = buildContentModel(catalog, { textDims: 4, seed: 1 });

  it('lays out numeric, text and artist blocks and separates genres by cosine', async () => {
    expect(cm.data.params.artistBlock).toBe(true);
    expect(cm.dim).toBe(2 * (2 + 4));
    expect(contentCosine(cm, 'r1', 'r2')).toBeGreaterThan(0.8);
    expect(contentCosine(cm, 'r1', 'j1')).toBeLessThan(0);
    const near = await similarByContent(cm, 'j1', 2);
    expect(near.map((x) => x.trackId).sort()).toEqual(['j2', 'j3']);
    // Numeric block is z / √F: r1's energy z-score divided by √2.
    const e = [0.9, 0.8, 0.95, 0.2, 0.3, 0.25];
    const mean = e.reduce((a, b) => a + b) / 6;
    const std = Math.sqrt(e.reduce((a, b) => a + (b - mean) ** 2, 0) / 6);
    expect(cm.vector(0)[0]).toBeCloseTo((0.9 - mean) / std / Math.SQRT2, 5);
    // Artist block of r1 = mean of r1 and r2 base blocks × 0.5.
    for (let j = 0; j < 6; j++) expect(cm.vector(0)[6 + j]).toBeCloseTo(0.5 * ((cm.vector(0)[j] + cm.vector(1)[j]) / 2), 5);
  });

  it('round-trips through bytes and embeds a catalog with the stored parameters', () => {
    const back = ContentModel.fromBytes(cm.toBytes());
    expect([...back.vectors]).toEqual([...cm.vectors]);
    expect(back.tracks.ids).toEqual(cm.tracks.ids);
    expect([...back.embed(catalog)]).toEqual([...cm.vectors]);
    expect(() => ContentModel.fromBytes(new Uint8Array(20))).toThrow(/bad magic/);
    const map = { factors: 2, dim: cm.dim, lambda: 0.5, W: Float32Array.from({ length: cm.dim * 2 }, (_, i) => i / 10), contentMean: new Float32Array(cm.dim).fill(0.25), factorMean: Float32Array.of(1, -1), blendM: 5, artistShrink: 2, fittedRows: 6 };
    const withMap = ContentModel.fromBytes(cm.withFactorMap(map).toBytes());
    expect(withMap.factorMap).toEqual(map);
    // The track listing (titles, release dates, main genres) round-trips; a bundle without one
    // (saved before it was kept) still loads.
    expect(back.data.listing).toEqual(cm.data.listing);
    expect(back.data.listing?.titles).toHaveLength(cm.tracks.size);
    const { listing: _listing, ...older } = cm.data;
    expect(ContentModel.fromBytes(new ContentModel(older).toBytes()).data.listing).toBeUndefined();
    expect(() => cm.withFactorMap({ ...map, dim: 3 })).toThrow(/map dim 3/);
  });
});
