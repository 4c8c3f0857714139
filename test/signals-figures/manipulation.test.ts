import { beforeAll, describe, expect, it } from 'vitest';
import { manipulationStudy, STUDY_TRAINING, type ManipulationFigures } from '../../src/eval/signals-study.js';

let f: ManipulationFigures;
beforeAll(async () => {
  // Linear confidence: log confidence compresses a farm's repeated streams by itself, which would
  // hide what the signals stage adds (the bench prints both).
  f = await manipulationStudy({
    world: { users: 2000, tracks: 8000, seed: 1 },
    training: { ...STUDY_TRAINING, confidence: 'linear', alpha: 10, threads: 2 },
  });
});

describe('farm target tracks in organic users’ top-30', () => {
  it('compares the same genuine listening with and without bots', () => {
    expect(f.sameGenuineEvents).toBe(true);
    expect(f.targets).toBe(40);
    expect(f.withoutBots.share).toBeGreaterThan(0);
  });

  it('with default signals, the share is at most 1.2× the share in the world without bots', () => {
    expect(f.filtered.share).toBeLessThanOrEqual(1.2 * f.withoutBots.share);
  });

  it('counting every stream (no trust, no early-skip rule, no daily cap) lets the farms in: ≥ 2×', () => {
    expect(f.naive.share).toBeGreaterThanOrEqual(2 * f.withoutBots.share);
  });

  // Known gap: with only `anomaly.enabled: false`, the farms' 31-s streams are still early skips
  // (31 s is under a quarter of a typical track), i.e. negative evidence for the targets, so trust
  // alone is not what keeps them out. Measured: about the same share as without bots.
  it.fails('with anomaly detection off alone, the share is much higher (≥ 2×)', () => {
    expect(f.anomalyOff.share).toBeGreaterThanOrEqual(2 * f.withoutBots.share);
  });
});
