/**
 * The search space of `mixtape tune`, sampled with a seeded generator so a run (and its resume)
 * visits the same configurations in the same order.
 */
import { SeededRandom } from '../eval/random.js';
import type { TrainParams } from '../config/run-config.js';

/** One CF candidate: ALS parameters plus the decay half-life (event logs only; null = decay off). */
export interface CfCandidate {
  train: Required<Pick<TrainParams, 'factors' | 'regularization' | 'alpha' | 'confidence' | 'epsilon'>>;
  halfLifeDays?: number | null;
}

export const FACTOR_CHOICES = [16, 24, 32, 48, 64, 96, 128];
export const HALF_LIFE_CHOICES: (number | null)[] = [5, 10, 20, 45, 90, 180, null];
export const CONTENT_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2];
export const LAMBDAS = [1, 0.9, 0.8, 0.7, 0.6, 0.5];
export const EXPLORATIONS = [0, 0.1, 0.2, 0.3];
export const ARTIST_CAPS = [1, 2, 3];

export class CfSampler {
  private readonly rng: SeededRandom;

  constructor(
    seed: number,
    private readonly withHalfLife: boolean,
  ) {
    this.rng = new SeededRandom(seed);
  }

  next(): CfCandidate {
    const r = this.rng;
    const confidence = r.next() < 0.5 ? 'log' : 'linear';
    const c: CfCandidate = {
      train: {
        factors: FACTOR_CHOICES[r.nextInt(FACTOR_CHOICES.length)],
        regularization: round(logUniform(r, 1e-3, 10)),
        alpha: round(confidence === 'log' ? logUniform(r, 0.1, 20) : logUniform(r, 0.01, 10)),
        confidence,
        epsilon: round(confidence === 'log' ? logUniform(r, 0.1, 100) : 1),
      },
    };
    if (this.withHalfLife) c.halfLifeDays = HALF_LIFE_CHOICES[r.nextInt(HALF_LIFE_CHOICES.length)];
    return c;
  }
}

function logUniform(r: SeededRandom, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + r.next() * (Math.log(hi) - Math.log(lo)));
}

/** Three significant digits: readable configs and stable log keys. */
function round(v: number): number {
  return Number(v.toPrecision(3));
}
