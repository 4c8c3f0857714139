import { beforeAll, describe, expect, it } from 'vitest';
import { botDetectionStudy, type BotDetectionFigures } from '../../src/eval/signals-study.js';

let f: BotDetectionFigures;
beforeAll(() => {
  // 5% bots in 10 farms (styles in turn: around the clock, shifts, disguised); 4% heavy listeners.
  f = botDetectionStudy({ world: { users: 2500, tracks: 8000, seed: 1 }, share: 0.05, farms: 10, heavyShare: 0.04 });
});

describe('bot farms are judged not human (trust < 0.5)', () => {
  it('recall ≥ 0.95 at precision ≥ 0.95, in every farm style', () => {
    expect(f.bots).toBe(125);
    expect(f.recall).toBeGreaterThanOrEqual(0.95);
    expect(f.precision).toBeGreaterThanOrEqual(0.95);
    expect(Object.keys(f.byStyle).sort()).toEqual(['around_the_clock', 'disguised', 'shifts']);
    for (const s of Object.values(f.byStyle)) expect(s.flagged / s.bots).toBeGreaterThanOrEqual(0.95);
  });

  it('flags at most 2% of genuine heavy listeners', () => {
    expect(f.heavyListeners).toBeGreaterThanOrEqual(50);
    expect(f.heavyFlaggedShare).toBeLessThanOrEqual(0.02);
  });

  it('holds on a log without track durations (lengths estimated from the longest plays)', () => {
    const g = botDetectionStudy({ world: { users: 2500, tracks: 8000, seed: 1 }, share: 0.05, farms: 10, heavyShare: 0.04, withoutDurations: true });
    console.log(`without durations: recall ${g.recall.toFixed(3)}, precision ${g.precision.toFixed(3)}, heavy flagged ${g.heavyFlagged}/${g.heavyListeners}, genuine below full trust ${g.genuineBelowFullTrust} (with durations ${f.genuineBelowFullTrust})`);
    expect(g.recall).toBeGreaterThanOrEqual(0.95);
    expect(g.precision).toBeGreaterThanOrEqual(0.95);
    expect(g.heavyFlaggedShare).toBeLessThanOrEqual(0.02);
    // Replayed short favourites are not taken for unfinished loops: no more doubted listeners.
    expect(g.genuineBelowFullTrust).toBeLessThanOrEqual(f.genuineBelowFullTrust + 5);
  });
});
