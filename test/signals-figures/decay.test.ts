import { beforeAll, describe, expect, it } from 'vitest';
import { decayStudy, STUDY_TRAINING, type DecayFigures } from '../../src/eval/signals-study.js';
import { defaultSignalsConfig } from '../../src/signals/index.js';

let f: DecayFigures;
const gain = (drift: number, halfLife: number): number =>
  f.worlds.find((w) => w.drift === drift)!.halfLives.find((h) => h.halfLifeDays === halfLife)!.relativeGain;

beforeAll(async () => {
  f = await decayStudy({
    world: { users: 2000, tracks: 8000, seed: 1 },
    drifts: [0.8, 0],
    halfLives: [10, 90],
    training: { ...STUDY_TRAINING, threads: 2 },
  });
});

describe('time decay and next-week recall@30 (8-week worlds)', () => {
  it('evaluates enough users in both worlds', () => {
    for (const w of f.worlds) expect(w.users).toBeGreaterThan(1000);
  });

  it('the default half-life (10 days) beats no decay by ≥ 10% when tastes drift', () => {
    expect(defaultSignalsConfig().halfLifeDays).toBe(10);
    expect(gain(0.8, 10)).toBeGreaterThanOrEqual(0.1);
  });

  it('the default half-life costs at most 2% without drift', () => {
    expect(gain(0, 10)).toBeGreaterThanOrEqual(-0.02);
  });

  it('a long half-life (90 days) barely changes an 8-week matrix', () => {
    expect(Math.abs(gain(0.8, 90))).toBeLessThan(0.05);
  });
});
