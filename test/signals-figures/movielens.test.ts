import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ratingsDecayStudy, STUDY_TRAINING, type RatingsDecayFigures } from '../../src/eval/signals-study.js';

const root = path.resolve(import.meta.dirname, '../..');
const file = path.resolve(root, '../shared/datasets/ml-latest-small/ratings.csv');
const present = existsSync(file);
if (!present) console.warn(`skipping the MovieLens decay study: ${path.relative(root, file)} is missing`);

let f: RatingsDecayFigures;
beforeAll(async () => {
  if (!present) return;
  f = await ratingsDecayStudy({ file, k: 20, training: { ...STUDY_TRAINING, iterations: 10, threads: 2 } });
  const scores = f.validation.halfLives.map((h) => `${h.halfLifeDays} d ${h.ndcg.toFixed(4)}`).join(', ');
  console.log(`MovieLens validation NDCG@20: no decay ${f.validation.noDecay.ndcg.toFixed(4)}, ${scores}; test: tuned ${f.test.tuned.ndcg.toFixed(4)}, no decay ${f.test.noDecay.ndcg.toFixed(4)}`);
});

describe.skipIf(!present)('decay on MovieLens timestamps (last 20% of each user held out)', () => {
  it('tunes the half-life on a validation split of the training part only', () => {
    expect(f.validationUsers).toBeGreaterThan(500);
    expect(f.validation.halfLives.map((h) => h.halfLifeDays)).toContain(f.tunedHalfLifeDays);
    const best = Math.max(...f.validation.halfLives.map((h) => h.ndcg));
    expect(f.validation.halfLives.find((h) => h.halfLifeDays === f.tunedHalfLifeDays)!.ndcg).toBe(best);
  });

  it('a short half-life reweighs the years-old ratings, never drops them (validation NDCG@20 within 10% of no decay)', () => {
    // 30 days is 90 half-lives over the log's years: past ~53 the evidence once rounded to nothing.
    for (const h of f.validation.halfLives) expect(h.ndcg, `${h.halfLifeDays} days`).toBeGreaterThan(0.9 * f.validation.noDecay.ndcg);
  });

  it('decay at the tuned half-life is no worse than no decay on the test split (NDCG@20)', () => {
    expect(f.testUsers).toBeGreaterThan(500);
    expect(f.test.tuned.ndcg).toBeGreaterThanOrEqual(f.test.noDecay.ndcg);
  });
});
