import { describe, expect, it } from 'vitest';
import { blockBitsFor, countColumns, planTranspose, transposeCsr, transposePart } from '../../src/data/csr-transpose.js';
import { sharedArray } from '../../src/util/shared-memory.js';
import { transposeCsr as transposeRef } from '../reference/als.js';
import { mulberry32, randomCsr, type RandomCsr } from '../reference/random.js';

const asMatrix = (c: RandomCsr) => ({ rows: c.rows, cols: c.cols, indptr: c.indptr, indices: c.indices, values: [c.pref, c.conf] });

/** rows, cols, density, rows left empty: empty sides, single rows and columns, sparse and dense. */
const SHAPES: [number, number, number, number[]?][] = [
  [0, 5, 0.5],
  [5, 0, 0.5],
  [1, 1, 1],
  [7, 3, 0],
  [3, 2, 0.9],
  [1, 40, 0.9],
  [40, 1, 0.7, [0, 3, 39]],
  [200, 300, 0.05, [0, 17, 199]],
  [300, 7, 0.6],
];

describe('transposeCsr', () => {
  it('matches the one-pass counting sort for every block size, shape and edge case', () => {
    const rng = mulberry32(11);
    for (const [rows, cols, density, emptyRows] of SHAPES) {
      const csr = randomCsr(rng, rows, cols, density, { emptyRows });
      const want = transposeRef(csr);
      for (const bits of [1, 2, 5, 9, blockBitsFor(csr.indices.length)]) {
        const got = transposeCsr(asMatrix(csr), undefined, bits);
        const at = `${rows}×${cols}, block 2^${bits}`;
        expect([got.rows, got.cols], at).toEqual([cols, rows]);
        expect(got.indptr, at).toEqual(want.indptr);
        expect(got.indices, at).toEqual(want.indices);
        expect(got.values, at).toEqual([want.pref, want.conf]);
      }
    }
  });

  it('carries any number of channels, and makes its arrays with the given maker', () => {
    const csr = randomCsr(mulberry32(3), 60, 50, 0.2);
    const want = transposeRef(csr);
    const none = transposeCsr({ ...asMatrix(csr), values: [] }, undefined, 4);
    expect(none.indices).toEqual(want.indices);
    expect(none.values).toEqual([]);
    const shared = transposeCsr(asMatrix(csr), sharedArray, 4);
    for (const a of [shared.indptr, shared.indices, ...shared.values]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.indices).toEqual(want.indices);
    expect(shared.values).toEqual([want.pref, want.conf]);
  });

  it('gives the same arrays when cut into parts, whatever order the parts run in', () => {
    const rng = mulberry32(23);
    for (const [rows, cols, density, emptyRows] of SHAPES) {
      const csr = randomCsr(rng, rows, cols, density, { emptyRows });
      const want = transposeRef(csr);
      for (const parts of [1, 2, 3, 8]) {
        for (const bits of [1, 3, blockBitsFor(csr.indices.length)]) {
          const job = planTranspose(asMatrix(csr), { parts, blockBits: bits });
          const at = `${rows}×${cols}, ${parts} parts, block 2^${bits}`;
          expect(job.cuts[0], at).toBe(0);
          expect(job.cuts[parts], at).toBe(cols);
          for (let j = 0; j < parts; j++) expect(job.cuts[j + 1], at).toBeGreaterThanOrEqual(job.cuts[j]);
          // Backwards, so a part that leaned on an earlier part's writes would show.
          for (let j = parts - 1; j >= 0; j--) transposePart(job, j);
          expect(job.output.indptr, at).toEqual(want.indptr);
          expect(job.output.indices, at).toEqual(want.indices);
          expect(job.output.values, at).toEqual([want.pref, want.conf]);
        }
      }
    }
  });

  it('balances the parts by entries, not by columns', () => {
    // Column 0 holds half the entries: two parts cut right after it.
    const rows = 100;
    const indptr = Int32Array.from({ length: rows + 1 }, (_, r) => 2 * r);
    const indices = Int32Array.from({ length: 2 * rows }, (_, p) => (p % 2 === 0 ? 0 : 1 + (p % 50)));
    const job = planTranspose({ rows, cols: 51, indptr, indices, values: [] }, { parts: 2 });
    expect([...job.cuts]).toEqual([0, 1, 51]);
    expect(() => planTranspose({ rows, cols: 51, indptr, indices, values: [] }, { parts: 0 })).toThrow(/parts must be a positive integer/);
  });

  it('cuts about 128 blocks, of 2^10 to 2^24 entries', () => {
    expect([0, 1, 1e5, 3e7, 1e8, 1e11].map(blockBitsFor)).toEqual([10, 10, 10, 18, 20, 24]);
  });

  it('refuses an indptr that does not span the entries, rather than leave places unwritten', () => {
    const csr = asMatrix(randomCsr(mulberry32(5), 4, 4, 0.8));
    const shifted = Int32Array.from(csr.indptr, (v, i) => (i === 0 ? 1 : v));
    expect(() => transposeCsr({ ...csr, indptr: shifted })).toThrow(/indptr must have 5 entries from 0 to/);
    expect(() => transposeCsr({ ...csr, indptr: csr.indptr.subarray(0, 4) })).toThrow(/indptr must have 5 entries/);
  });

  it('sums column counts made in pieces (as the pool makes them) to the same plan and arrays', () => {
    const rng = mulberry32(29);
    for (const [rows, cols, density, emptyRows] of SHAPES) {
      const csr = randomCsr(rng, rows, cols, density, { emptyRows });
      const want = transposeRef(csr);
      const nnz = csr.indices.length;
      for (const pieces of [1, 2, 5]) {
        const cuts = Array.from({ length: pieces + 1 }, (_, i) => Math.floor((nnz * i) / pieces));
        const columnCounts = Array.from({ length: pieces }, (_, i) => countColumns(csr.indices, cols, new Int32Array(cols + 1), cuts[i], cuts[i + 1]));
        const job = planTranspose(asMatrix(csr), { parts: 2, columnCounts });
        const at = `${rows}×${cols}, ${pieces} pieces`;
        expect([...job.cuts], at).toEqual([...planTranspose(asMatrix(csr), { parts: 2 }).cuts]);
        for (let j = 1; j >= 0; j--) transposePart(job, j);
        expect(job.output.indptr, at).toEqual(want.indptr);
        expect(job.output.indices, at).toEqual(want.indices);
        expect(job.output.values, at).toEqual([want.pref, want.conf]);
      }
    }
  });

  it('refuses column indices outside [0, cols) and counts of the wrong size, counted here or in pieces', () => {
    const csr = asMatrix(randomCsr(mulberry32(6), 6, 5, 0.9));
    for (const bad of [-1, 5, 99]) {
      const indices = csr.indices.slice();
      indices[3] = bad;
      const m = { ...csr, indices };
      expect(() => transposeCsr(m), `index ${bad}`).toThrow(/1 of \d+ entries have a column index outside \[0, 5\)/);
      const counts = [countColumns(indices, 5, new Int32Array(6), 0, indices.length)];
      expect(() => planTranspose(m, { columnCounts: counts }), `index ${bad}, counted`).toThrow(/column index outside/);
    }
    expect(() => planTranspose(csr, { columnCounts: [new Int32Array(5)] })).toThrow(/column counts must have cols \+ 1 = 6 places/);
    expect(() => countColumns(csr.indices, 5, new Int32Array(5), 0, 1)).toThrow(/cols \+ 1 = 6 places/);
    expect(() => countColumns(csr.indices, 5, new Int32Array(6), 2, 1)).toThrow(/range/);
  });
});
