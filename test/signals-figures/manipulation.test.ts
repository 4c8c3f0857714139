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

  // Trust is what keeps the farms out: their 31-s plays are counted streams (past the 30-s rule).
  it('with anomaly detection off alone, the share is much higher (≥ 2×)', () => {
    expect(f.anomalyOff.share).toBeGreaterThanOrEqual(2 * f.withoutBots.share);
  });
});
