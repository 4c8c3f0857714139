/** Time decay under taste drift: next-week recall by half-life on a drifting and a stable world. */
import { generateWorld } from '../../generate/index.js';
import { STUDY_TRAINING, worldOptions, type StudyTraining, type StudyWorld } from './common.js';
import { decayConfig, nextWeekFigures, nextWeekSetup, type NextWeekFigures } from './next-week.js';

export interface DecayOptions {
  world: StudyWorld;
  /** Drift strengths of the worlds compared (default [0.8, 0]). */
  drifts?: number[];
  /** Half-lives in days to compare with no decay (default [90, 30, 14, 10, 7]; 10 is the default). */
  halfLives?: number[];
  k?: number;
  training?: StudyTraining;
}

export interface DecayRow {
  halfLifeDays: number;
  recall: number;
  ndcg: number;
  mismatch: number;
  /** recall / recall without decay − 1. */
  relativeGain: number;
}

export interface DecayFigures {
  k: number;
  worlds: { drift: number; users: number; noDecay: NextWeekFigures; halfLives: DecayRow[] }[];
}

/** Next-week recall@k with no decay and with each half-life, on a drifting and a stable world. */
export async function decayStudy(o: DecayOptions): Promise<DecayFigures> {
  const k = o.k ?? 30;
  const t = o.training ?? STUDY_TRAINING;
  const worlds: DecayFigures['worlds'] = [];
  for (const drift of o.drifts ?? [0.8, 0]) {
    const setup = nextWeekSetup(generateWorld(worldOptions(o.world, { drift })));
    const noDecay = await nextWeekFigures(setup, decayConfig(null), k, t);
    const rows: DecayRow[] = [];
    for (const h of o.halfLives ?? [90, 30, 14, 10, 7]) {
      const f = await nextWeekFigures(setup, decayConfig(h), k, t);
      rows.push({ halfLifeDays: h, recall: f.recall, ndcg: f.ndcg, mismatch: f.mismatch, relativeGain: f.recall / noDecay.recall - 1 });
    }
    worlds.push({ drift, users: noDecay.users, noDecay, halfLives: rows });
  }
  return { k, worlds };
}
