import { describe, expect, it } from 'vitest';
import { defaultAsOf } from '../../src/signals/default-as-of.js';
import { mulberry32 } from '../reference/random.js';

const DAY = 86_400_000;

/** Oracle: sort, take the time by which all but the latest 0.1% had happened, then the last event within a day of it. */
function reference(ts: number[]): number {
  const finite = ts.filter(Number.isFinite).sort((a, b) => b - a);
  if (finite.length === 0) return Number.NaN;
  const q = finite[Math.floor(finite.length * 1e-3)];
  return Math.max(...finite.filter((t) => t <= q + DAY)) + 1;
}

describe('defaultAsOf', () => {
  it('is just after the last event of a log without stray rows', () => {
    const ts = Float64Array.from({ length: 50_000 }, (_, i) => 1_700_000_000_000 + i * 60_000);
    expect(defaultAsOf(ts)).toBe(ts[ts.length - 1] + 1);
  });

  it('ignores a few rows dated months ahead, keeping the genuine final minutes', () => {
    const end = 1_700_000_000_000;
    const ts = Float64Array.from({ length: 200_000 }, (_, i) => end - i * 1000);
    for (const [i, ahead] of [[10, 90], [500, 200], [9000, 2]].entries()) ts[ahead[0]] = end + ahead[1] * DAY + i;
    expect(defaultAsOf(ts)).toBe(end + 1);
  });

  it('keeps the last event of a small log, and a quiet last day of a large one', () => {
    expect(defaultAsOf(Float64Array.of(5, 1, 3e12, 7))).toBe(3e12 + 1);
    const ts = Float64Array.from({ length: 100_000 }, (_, i) => i * 1000);
    ts[0] = ts[99_999] + 0.5 * DAY; // half a day after the rest: within the margin
    expect(defaultAsOf(ts)).toBe(ts[0] + 1);
  });

  it('skips non-finite timestamps and is NaN without any finite one', () => {
    expect(defaultAsOf(Float64Array.of(Number.NaN, 10, Infinity, 20))).toBe(21);
    expect(defaultAsOf(Float64Array.of(Number.NaN))).toBeNaN();
    expect(defaultAsOf(new Float64Array(0))).toBeNaN();
  });

  it('matches the sorting oracle on random logs with random stray rows', () => {
    const rng = mulberry32(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + Math.floor(rng() * 40_000);
      const ts = Array.from({ length: n }, () => Math.floor(rng() * 60 * DAY));
      const stray = Math.floor(rng() * 8);
      for (let j = 0; j < stray; j++) ts[Math.floor(rng() * n)] = 60 * DAY + Math.floor(rng() * 300 * DAY);
      expect(defaultAsOf(Float64Array.from(ts))).toBe(reference(ts));
    }
  });
});
