/** Next-week recall and planted-taste mismatch of the top-k under a signals config (decay and negatives studies). */
import { skipProbability, worldToEventLog, type World } from '../../generate/index.js';
import { computeSignals, type SignalsConfigInput } from '../../signals/index.js';
import type { EventLog } from '../../types.js';
import { accuracyAtK } from '../metrics.js';
import { nextWeekSplit } from '../next-week.js';
import { findInRow, type SparseRows } from '../sparse.js';
import { topK, type StudyTraining } from './common.js';

const DAY_MS = 86_400_000;

export interface NextWeekFigures {
  /** Users with at least one discovery in the test week. */
  users: number;
  recall: number;
  ndcg: number;
  /** Mean planted skip probability (generator truth, last week) of the recommended tracks. */
  mismatch: number;
  /** Mean listeners before the cut (see `NextWeekSplit.listeners`) of the recommended tracks ... */
  listPopularity: number;
  /** ... and of the recommended tracks that were hits: where next week's discoveries lie. */
  hitPopularity: number;
  negativeEntries: number;
}

export interface NextWeekSetup {
  world: World;
  log: EventLog;
  cut: number;
  test: SparseRows;
  users: Int32Array;
  listeners: Float64Array;
}

export function nextWeekSetup(world: World): NextWeekSetup {
  const log = worldToEventLog(world);
  const cut = world.endMs - 7 * DAY_MS;
  const split = nextWeekSplit(log, cut);
  return { world, log, cut, test: split.test, users: split.users, listeners: split.listeners };
}

export async function nextWeekFigures(s: NextWeekSetup, config: SignalsConfigInput, k: number, t: StudyTraining): Promise<NextWeekFigures> {
  const { interactions, report } = computeSignals(s.log, { asOf: s.cut, config });
  const recs = await topK(interactions, s.users, k, t);
  const acc = accuracyAtK(recs, k, s.users, s.test, k);
  const week = s.world.options.weeks - 1;
  let sum = 0;
  let n = 0;
  let listSum = 0;
  let hitSum = 0;
  let hits = 0;
  for (let r = 0; r < s.users.length; r++) {
    const u = s.users[r];
    for (let j = 0; j < k; j++) {
      const i = recs[r * k + j];
      if (i < 0) continue;
      sum += skipProbability(s.world, u, i, week);
      listSum += s.listeners[i];
      n++;
      if (findInRow(s.test, u, i) >= 0) {
        hitSum += s.listeners[i];
        hits++;
      }
    }
  }
  return {
    users: acc.evaluated,
    recall: acc.mean.recall,
    ndcg: acc.mean.ndcg,
    mismatch: n > 0 ? sum / n : Number.NaN,
    listPopularity: n > 0 ? listSum / n : Number.NaN,
    hitPopularity: hits > 0 ? hitSum / hits : Number.NaN,
    negativeEntries: report.totals.negative_entries,
  };
}

export function decayConfig(halfLifeDays: number | null): SignalsConfigInput {
  return halfLifeDays === null ? { decay: false } : { halfLifeDays };
}
