/**
 * What every signals study shares: the world size and seed, the (small, fixed) ALS recipe, training
 * and top-k, and rounding for printing.
 */
import type { GenerateOptions } from '../../generate/index.js';
import { train } from '../../train/train.js';
import type { ConfidenceMode, Interactions } from '../../types.js';
import { FactorRanker } from '../model-ranker.js';
import { interactionRows } from '../sparse.js';

/** The size and seed of a synthetic world used by a study. */
export interface StudyWorld {
  users: number;
  tracks: number;
  weeks?: number;
  seed: number;
}

/** ALS settings of the studies (small on purpose: the figures compare signals, not models). */
export interface StudyTraining {
  factors: number;
  iterations: number;
  confidence: ConfidenceMode;
  alpha: number;
  regularization: number;
  threads?: number;
  seed?: number;
}

export const STUDY_TRAINING: Readonly<StudyTraining> = Object.freeze({
  factors: 32,
  iterations: 8,
  confidence: 'log',
  alpha: 2,
  regularization: 0.05,
});

export function worldOptions(w: StudyWorld, extra: GenerateOptions = {}): GenerateOptions {
  return { users: w.users, tracks: w.tracks, weeks: w.weeks ?? 8, seed: w.seed, ...extra };
}

/** Train on `inter` and return the top-k unheard tracks (row-major, −1 padded) of `users`. */
export async function topK(inter: Interactions, users: Int32Array, k: number, t: StudyTraining): Promise<Int32Array> {
  const model = await train(inter, {
    factors: t.factors,
    iterations: t.iterations,
    confidence: t.confidence,
    alpha: t.alpha,
    regularization: t.regularization,
    ...(t.threads !== undefined ? { threads: t.threads } : {}),
    seed: t.seed ?? 42,
  });
  const ranker = new FactorRanker('als', model.data.userFactors, model.data.itemFactors, model.factors);
  return ranker.recommend(users, k, interactionRows(inter));
}

export function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Rounded copies of figures for printing. */
export function roundFigures<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? round(v) : v))) as T;
}
