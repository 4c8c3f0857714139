import { beforeAll, describe, expect, it } from 'vitest';
import { decayStudy, STUDY_TRAINING, type DecayFigures } from '../../src/eval/signals-study.js';

let f: DecayFigures;
const gain = (drift: number, halfLife: number): number =>
  f.worlds.find((w) => w.drift === drift)!.halfLives.find((h) => h.halfLifeDays === halfLife)!.relativeGain;

beforeAll(async () => {
  f = await decayStudy({
    world: { users: 2000, tracks: 8000, seed: 1 },
    drifts: [0.8, 0],
    halfLives: [90, 14],
    training: { ...STUDY_TRAINING, threads: 2 },
  });
});

describe('time decay and next-week recall@30 (8-week worlds)', () => {
  it('evaluates enough users in both worlds', () => {
    for (const w of f.worlds) expect(w.users).toBeGreaterThan(1000);
  });

  // Known gap: over an 8-week world the default 90-day half-life leaves the oldest evidence at
  // about 60% weight, so it barely changes the matrix (measured gain about +1%).
  it.fails('the default half-life (90 days) beats no decay by ≥ 10% when tastes drift', () => {
    expect(gain(0.8, 90)).toBeGreaterThanOrEqual(0.1);
  });

  it('the default half-life costs at most 2% without drift', () => {
    expect(gain(0, 90)).toBeGreaterThanOrEqual(-0.02);
  });

  it('a 14-day half-life meets both: ≥ 10% with drift, ≤ 2% cost without', () => {
    expect(gain(0.8, 14)).toBeGreaterThanOrEqual(0.1);
    expect(gain(0, 14)).toBeGreaterThanOrEqual(-0.02);
  });
});
