import { afterAll, describe, expect, it } from 'vitest';
import { createTrainPool } from '../../src/train/pool.js';
import { transposeOnPool } from '../../src/train/transpose.js';
import { toShared } from '../../src/util/shared-memory.js';
import { transposeCsr as transposeRef } from '../reference/als.js';
import { mulberry32, randomCsr } from '../reference/random.js';

describe('transposeOnPool (the trainer\'s item-major copy)', () => {
  const pool = createTrainPool(2);
  afterAll(() => pool.destroy());

  it('gives the reference transpose with its parts running at once on worker threads, in shared memory', async () => {
    const rng = mulberry32(41);
    for (const [rows, cols, density, parts] of [
      [500, 400, 0.05, 2],
      [300, 3, 0.8, 3],
      [1, 50, 0.9, 2],
      [0, 4, 0.5, 2],
    ] as const) {
      const csr = randomCsr(rng, rows, cols, density);
      const want = transposeRef(csr);
      const m = { rows, cols, indptr: toShared(csr.indptr), indices: toShared(csr.indices), values: [toShared(csr.pref), toShared(csr.conf)] };
      const got = await transposeOnPool(pool, m, parts);
      const at = `${rows}×${cols}, ${parts} parts`;
      expect(got.indptr, at).toEqual(want.indptr);
      expect(got.indices, at).toEqual(want.indices);
      expect(got.values, at).toEqual([want.pref, want.conf]);
      for (const a of [got.indptr, got.indices, ...got.values]) expect(a.buffer, at).toBeInstanceOf(SharedArrayBuffer);
    }
  });
});
