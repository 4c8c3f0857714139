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
    expect(f.withNegatives.mismatch).toBeLessThan(f.skipsAsPlays.mismatch);
  });

  it('counts no early skip as negative with skip.negative off', () => {
    expect(f.skipsAsPlays.negativeEntries).toBeLessThan(f.withNegatives.negativeEntries);
  });

  it('moves the lists toward tracks fewer users have heard (the price in next-week recall)', () => {
    // Skipped tracks are served tracks, and the service serves popular tracks most: negative
    // entries pull every profile away from what is widely heard, and next week's discoveries are
    // widely heard tracks. The ordering of list popularity follows the ordering of recall.
    expect(f.withNegatives.listPopularity).toBeLessThan(f.skipWeightZero.listPopularity);
    expect(f.skipWeightZero.listPopularity).toBeLessThan(f.skipsAsPlays.listPopularity);
    expect(f.withNegatives.hitPopularity).toBeGreaterThan(f.withNegatives.listPopularity);
  });

  // Known gap: negatives steer the lists toward the planted taste, but next-week recall@30 drops
  // slightly (about −2% relative to skip weight 0; −2 to −5% relative to counting skips as
  // plays). Next week's plays follow what the simulated service serves, so recall rewards
  // predicting exposure, and skips mark served tracks: any use of them as negatives costs recall.
  // bench/negatives.ts prints the whole dial: lighter settings cost less and gain less.
  it.fails('keeps next-week recall@30 at least as high as skip weight 0', () => {
    expect(f.withNegatives.recall).toBeGreaterThanOrEqual(f.skipWeightZero.recall);
  });
});
