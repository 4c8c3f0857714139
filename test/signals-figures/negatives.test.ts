import { beforeAll, describe, expect, it } from 'vitest';
import { negativesStudy, STUDY_TRAINING, type NegativesFigures } from '../../src/eval/signals-study.js';

let f: NegativesFigures;
beforeAll(async () => {
  f = await negativesStudy({ world: { users: 2500, tracks: 8000, seed: 1 }, training: { ...STUDY_TRAINING, threads: 2 } });
});

describe('skips as negative evidence', () => {
  it('early skips make most of the negative entries', () => {
    expect(f.withNegatives.negativeEntries).toBeGreaterThan(3 * f.skipWeightZero.negativeEntries);
    expect(f.noNegatives.negativeEntries).toBe(0);
  });

  it('lowers the planted-taste mismatch (mean skip probability) of the top-30', () => {
    expect(f.withNegatives.mismatch).toBeLessThan(f.skipWeightZero.mismatch);
    expect(f.withNegatives.mismatch).toBeLessThan(f.noNegatives.mismatch);
  });

  // Known gap: negatives steer the lists toward the planted taste, but next-week recall@30 drops
  // slightly (measured about −1.5% relative with the default skip weight and negative confidence).
  it.fails('keeps next-week recall@30 at least as high as skip weight 0', () => {
    expect(f.withNegatives.recall).toBeGreaterThanOrEqual(f.skipWeightZero.recall);
  });
});
