/** Bot detection: recall and precision of low trust against the planted farms, and heavy listeners flagged. */
import { generateWorld, worldToEventLog } from '../../generate/index.js';
import { computeSignals } from '../../signals/index.js';
import { worldOptions, type StudyWorld } from './common.js';

export interface BotDetectionOptions {
  world: StudyWorld;
  /** Bot accounts as a share of users (default 0.05). */
  share?: number;
  /** Farms (default 10; styles assigned in turn: around the clock, shifts, disguised). */
  farms?: number;
  /** Share of genuine users who are heavy listeners (default 0.04, so the heavy rate is measurable). */
  heavyShare?: number;
  /** Trust below which an account counts as flagged (default 0.5). */
  threshold?: number;
  /** Leave the track durations out of the log, as many exports do (default false). */
  withoutDurations?: boolean;
}

export interface BotDetectionFigures {
  seed: number;
  accounts: number;
  bots: number;
  flagged: number;
  /** Share of bot accounts flagged. */
  recall: number;
  /** Share of flagged accounts that are bots. */
  precision: number;
  /** Per farm style: bots and how many were flagged. */
  byStyle: Record<string, { bots: number; flagged: number }>;
  heavyListeners: number;
  heavyFlagged: number;
  heavyFlaggedShare: number;
  /** Genuine accounts flagged, and genuine accounts with any trust reduction (trust < 1). */
  genuineFlagged: number;
  genuineBelowFullTrust: number;
}

/** Recall and precision of trust < threshold against the planted bots, and heavy listeners flagged. */
export function botDetectionStudy(o: BotDetectionOptions): BotDetectionFigures {
  const threshold = o.threshold ?? 0.5;
  const world = generateWorld(
    worldOptions(o.world, { heavyShare: o.heavyShare ?? 0.04, bots: { share: o.share ?? 0.05, farms: o.farms ?? 10 } }),
  );
  const full = worldToEventLog(world);
  const log = o.withoutDurations ? { ...full, durationMs: undefined } : full;
  const { report, interactions } = computeSignals(log, { asOf: world.endMs });
  const trust = interactions.trust!;
  const pop = world.population;
  const byStyle: Record<string, { bots: number; flagged: number }> = {};
  let truePositive = 0;
  let flagged = 0;
  let heavy = 0;
  let heavyFlagged = 0;
  let genuineFlagged = 0;
  let genuineBelow = 0;
  for (let u = 0; u < pop.count; u++) {
    const isFlagged = trust[u] < threshold;
    if (isFlagged) flagged++;
    if (u >= pop.genuine) {
      const s = (byStyle[world.farms[pop.farm[u]].style] ??= { bots: 0, flagged: 0 });
      s.bots++;
      if (isFlagged) {
        s.flagged++;
        truePositive++;
      }
      continue;
    }
    if (isFlagged) genuineFlagged++;
    if (trust[u] < 1) genuineBelow++;
    if (pop.heavy[u] === 1) {
      heavy++;
      if (isFlagged) heavyFlagged++;
    }
  }
  const bots = pop.count - pop.genuine;
  if (report.totals.not_human_accounts !== flagged && threshold === report.config.anomaly.notHumanBelow) {
    throw new Error(`botDetectionStudy: report counts ${report.totals.not_human_accounts} not-human accounts, trust gives ${flagged}`);
  }
  return {
    seed: o.world.seed,
    accounts: pop.count,
    bots,
    flagged,
    recall: bots > 0 ? truePositive / bots : Number.NaN,
    precision: flagged > 0 ? truePositive / flagged : Number.NaN,
    byStyle,
    heavyListeners: heavy,
    heavyFlagged,
    heavyFlaggedShare: heavy > 0 ? heavyFlagged / heavy : Number.NaN,
    genuineFlagged,
    genuineBelowFullTrust: genuineBelow,
  };
}
