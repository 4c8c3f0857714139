/** Stream manipulation: how often organic users see a farm's target tracks, with and without filtering. */
import { generateWorld, worldToEventLog, type World } from '../../generate/index.js';
import { computeSignals, type SignalsConfigInput } from '../../signals/index.js';
import { range, STUDY_TRAINING, topK, worldOptions, type StudyTraining, type StudyWorld } from './common.js';

export interface ManipulationOptions {
  world: StudyWorld;
  share?: number;
  farms?: number;
  k?: number;
  training?: StudyTraining;
}

export interface ExposureFigures {
  /** Share of organic (genuine) users whose top-k holds at least one farm target. */
  share: number;
  /** Target slots over all organic users' lists. */
  slots: number;
}

export interface ManipulationFigures {
  seed: number;
  k: number;
  training: StudyTraining;
  targets: number;
  organicUsers: number;
  /** Genuine listening is identical with and without bots (same seed): checked, not assumed. */
  sameGenuineEvents: boolean;
  /** The world generated without bots (same seed): the organic baseline. */
  withoutBots: ExposureFigures;
  /** Bots present, default signals (anomaly trust on). */
  filtered: ExposureFigures;
  /** Bots present, `anomaly.enabled: false` (trust ignored; early-skip rule and daily cap still on). */
  anomalyOff: ExposureFigures;
  /** Bots present, every stream counted: anomaly off, no early-skip rule, no daily cap. */
  naive: ExposureFigures;
  ratios: { filtered: number; anomalyOff: number; naive: number };
}

/** Signals config of "anomaly detection off". */
export const ANOMALY_OFF: SignalsConfigInput = Object.freeze({ anomaly: { enabled: false } });
/** Signals config of a naive play counter: no trust, every stream a (partial) play, no daily cap. */
export const NAIVE_COUNTING: SignalsConfigInput = Object.freeze({
  anomaly: { enabled: false },
  skip: { earlyMs: 0, earlyFraction: 0 },
  capPlaysPerTrackPerDay: 1_000_000,
});

async function targetExposure(world: World, config: SignalsConfigInput | undefined, targetIds: readonly string[], k: number, t: StudyTraining): Promise<ExposureFigures> {
  const log = worldToEventLog(world);
  const { interactions } = computeSignals(log, { asOf: world.endMs, config });
  const organic = range(world.population.genuine);
  const recs = await topK(interactions, organic, k, t);
  const isTarget = new Uint8Array(log.tracks.size);
  for (const id of targetIds) {
    const i = log.tracks.get(id);
    if (i !== undefined) isTarget[i] = 1;
  }
  let users = 0;
  let slots = 0;
  for (let r = 0; r < organic.length; r++) {
    let hit = 0;
    for (let j = 0; j < k; j++) {
      const i = recs[r * k + j];
      if (i >= 0 && isTarget[i] === 1) hit++;
    }
    slots += hit;
    if (hit > 0) users++;
  }
  return { share: users / organic.length, slots };
}

/**
 * Share of organic users whose top-k contains a farm's target track: in the world with bots under
 * default signals, with anomaly detection off, with naive counting, and in the same world
 * generated without bots.
 */
export async function manipulationStudy(o: ManipulationOptions): Promise<ManipulationFigures> {
  const k = o.k ?? 30;
  const t = o.training ?? STUDY_TRAINING;
  const withBots = generateWorld(worldOptions(o.world, { bots: { share: o.share ?? 0.05, farms: o.farms ?? 10 } }));
  const clean = generateWorld(worldOptions(o.world));
  const targetIds: string[] = [];
  for (const f of withBots.truth.bots.farms) targetIds.push(...f.targets);
  const withoutBots = await targetExposure(clean, undefined, targetIds, k, t);
  const filtered = await targetExposure(withBots, undefined, targetIds, k, t);
  const anomalyOff = await targetExposure(withBots, ANOMALY_OFF, targetIds, k, t);
  const naive = await targetExposure(withBots, NAIVE_COUNTING, targetIds, k, t);
  const base = withoutBots.share;
  return {
    seed: o.world.seed,
    k,
    training: { ...t },
    targets: new Set(targetIds).size,
    organicUsers: withBots.population.genuine,
    sameGenuineEvents: withBots.truth.events.genuine === clean.truth.events.genuine && withBots.population.genuine === clean.population.genuine,
    withoutBots,
    filtered,
    anomalyOff,
    naive,
    ratios: { filtered: filtered.share / base, anomalyOff: anomalyOff.share / base, naive: naive.share / base },
  };
}
