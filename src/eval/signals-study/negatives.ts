/** Skips as negative evidence: next-week recall and planted-taste mismatch with and without them, and the dial between. */
import { generateWorld } from '../../generate/index.js';
import type { SignalsConfigInput } from '../../signals/index.js';
import { STUDY_TRAINING, worldOptions, type StudyTraining, type StudyWorld } from './common.js';
import { nextWeekFigures, nextWeekSetup, type NextWeekFigures } from './next-week.js';

export interface NegativesOptions {
  world: StudyWorld;
  /** Drift of the world (default: the generator's default). */
  drift?: number;
  k?: number;
  training?: StudyTraining;
  /** Signals config of the arm with negatives (default: the defaults); the other arms zero its weights. */
  config?: SignalsConfigInput;
}

export interface NegativesFigures {
  k: number;
  /** Default signals: early skips and dislikes are negative evidence. */
  withNegatives: NextWeekFigures;
  /** `skip.negative: false`: early skips count as plays of the fraction heard, as in a pipeline without negative feedback. */
  skipsAsPlays: NextWeekFigures;
  /** `weights.skip: 0`: early skips carry no evidence (dislikes still do). */
  skipWeightZero: NextWeekFigures;
  /** Skips and dislikes carry no evidence (`weights.skip: 0, weights.dislike: 0`). */
  noNegatives: NextWeekFigures;
}

export const SKIPS_IGNORED: SignalsConfigInput = Object.freeze({ weights: { skip: 0 } });
export const NEGATIVES_IGNORED: SignalsConfigInput = Object.freeze({ weights: { skip: 0, dislike: 0 } });

/** Next-week recall@k and planted-taste mismatch with and without negative evidence. */
export async function negativesStudy(o: NegativesOptions): Promise<NegativesFigures> {
  const base = o.config ?? {};
  const [withNegatives, skipsAsPlays, skipWeightZero, noNegatives] = (
    await negativesDial(o, [
      { label: 'withNegatives', config: base },
      { label: 'skipsAsPlays', config: { ...base, skip: { ...base.skip, negative: false } } },
      { label: 'skipWeightZero', config: { ...base, weights: { ...base.weights, ...SKIPS_IGNORED.weights } } },
      { label: 'noNegatives', config: { ...base, weights: { ...base.weights, ...NEGATIVES_IGNORED.weights } } },
    ])
  ).map((r) => r.figures);
  return { k: o.k ?? 30, withNegatives, skipsAsPlays, skipWeightZero, noNegatives };
}

/** One setting of the negatives dial: a label and the signals config it stands for. */
export interface NegativesSetting {
  label: string;
  config: SignalsConfigInput;
}

/**
 * How strongly skips should count against a track: next-week figures of each setting on one
 * world (one split, one training recipe), so settings compare like for like.
 */
export async function negativesDial(o: Omit<NegativesOptions, 'config'>, settings: readonly NegativesSetting[]): Promise<{ label: string; figures: NextWeekFigures }[]> {
  const k = o.k ?? 30;
  const t = o.training ?? STUDY_TRAINING;
  const setup = nextWeekSetup(generateWorld(worldOptions(o.world, o.drift !== undefined ? { drift: o.drift } : {})));
  const rows: { label: string; figures: NextWeekFigures }[] = [];
  for (const s of settings) rows.push({ label: s.label, figures: await nextWeekFigures(setup, s.config, k, t) });
  return rows;
}
