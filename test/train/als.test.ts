import { describe, expect, it } from 'vitest';
import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';
import { train } from '../../src/train/train.js';
import { trainAls } from '../../src/train/als.js';
import { resolveTrainOptions } from '../../src/train/options.js';
import { bytesOf } from '../reference/shared.js';

const matrix = syntheticMatrix({ users: 600, items: 400, nnz: 12_000, seed: 3 });

describe('ALS training over the worker pool', () => {
  it('gives bit-identical factors for 1 and 2 threads with the same seed', async () => {
    for (const solver of ['cg', 'cholesky'] as const) {
      const one = await trainAls(matrix, resolveTrainOptions({ factors: 8, iterations: 3, threads: 1, seed: 7, solver }));
      const two = await trainAls(matrix, resolveTrainOptions({ factors: 8, iterations: 3, threads: 2, seed: 7, solver }));
      expect(bytesOf(two.userFactors).equals(bytesOf(one.userFactors))).toBe(true);
      expect(bytesOf(two.itemFactors).equals(bytesOf(one.itemFactors))).toBe(true);
    }
  });

  it('different seeds give different factors', async () => {
    const a = await trainAls(matrix, resolveTrainOptions({ factors: 4, iterations: 1, threads: 1, seed: 1 }));
    const b = await trainAls(matrix, resolveTrainOptions({ factors: 4, iterations: 1, threads: 1, seed: 2 }));
    expect(bytesOf(a.userFactors).equals(bytesOf(b.userFactors))).toBe(false);
  });

  it('reports a decreasing loss per iteration with the exact solver', async () => {
    const losses: number[] = [];
    await train(matrix, { factors: 8, iterations: 5, threads: 2, solver: 'cholesky', onIteration: (i) => losses.push(i.loss) });
    expect(losses).toHaveLength(5);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1] * (1 + 1e-6));
  });

  it('resumes from initial factors only within the run\'s iterations', async () => {
    const opts = { factors: 4, iterations: 3, threads: 1, seed: 5 };
    const first = await trainAls(matrix, resolveTrainOptions({ ...opts, iterations: 2 }));
    const initial = { userFactors: first.userFactors, itemFactors: first.itemFactors, completedIterations: 2 };
    const whole = await trainAls(matrix, resolveTrainOptions(opts));
    const resumed = await trainAls(matrix, resolveTrainOptions(opts), { initial });
    expect(bytesOf(resumed.itemFactors).equals(bytesOf(whole.itemFactors))).toBe(true);
    for (const completedIterations of [4, -1, 1.5]) {
      await expect(trainAls(matrix, resolveTrainOptions(opts), { initial: { ...initial, completedIterations } })).rejects.toThrow(`initial.completedIterations must be an integer in [0, iterations = 3], got ${completedIterations}`);
    }
  });

  it('rejects bad options with a message naming the option', async () => {
    await expect(train(matrix, { factors: 0 })).rejects.toThrow(/factors/);
    await expect(train(matrix, { alpha: -1 })).rejects.toThrow(/alpha/);
    await expect(train(matrix, { solver: 'lu' as 'cg' })).rejects.toThrow(/solver/);
    // With none, a user with fewer tracks than factors has no unique solve, and fold-in's Cholesky fails.
    await expect(train(matrix, { regularization: 0 })).rejects.toThrow(/train option 'regularization': Too small: expected number to be >0/);
  });

  it('refuses a negative or NaN weight, naming the entry, under either confidence', async () => {
    for (const bad of [-0.5, Number.NaN]) {
      const m = { ...matrix, weight: matrix.weight.map((w, i) => (i === 7 ? bad : w)) };
      // Linear confidence took -0.5 as a finite confidence of 0.5 before.
      for (const confidence of ['linear', 'log'] as const) {
        await expect(train(m, { factors: 4, iterations: 1, confidence }), `${bad} ${confidence}`).rejects.toThrow(`weight of entry 7 must be finite and ≥ 0, got ${bad}`);
      }
    }
  });

  it('fails the run, naming the row, when linear confidence overflows to a non-finite value', async () => {
    const big = { ...matrix, weight: matrix.weight.map((w, i) => (i === 5 ? 3e38 : w)) };
    await expect(train(big, { factors: 4, iterations: 1, alpha: 10, confidence: 'linear' })).rejects.toThrow(/entry 5 is not finite/);
    // The default log confidence stays finite there (1 + 10·log(1 + 3e38) ≈ 885).
    const model = await train(big, { factors: 4, iterations: 1, alpha: 10 });
    expect(model.data.userFactors.every((v) => Number.isFinite(v))).toBe(true);
  });
});
