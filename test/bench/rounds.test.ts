import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../src/bench/report.js';
import { medianRound } from '../../src/bench/rounds.js';

function timed(median: number, tag: string): CaseResult {
  return { name: 'als cg k=32 t=2', suite: 'als', params: { tag }, unit: 's/iteration', seconds: { median, min: median - 0.01, max: median + 0.01, runs: 5 }, detail: { kept: tag } };
}

describe('medianRound', () => {
  it('reports the middle round whole and lists every round in run order', () => {
    const got = medianRound([timed(0.3, 'a'), timed(0.1, 'b'), timed(0.2, 'c')]);
    expect(got.params).toEqual({ tag: 'c' });
    expect(got.seconds?.median).toBe(0.2);
    expect(got.detail).toEqual({ kept: 'c', round_medians: [0.3, 0.1, 0.2] });
  });

  it('takes the slower of the middle two for an even count', () => {
    expect(medianRound([timed(0.1, 'a'), timed(0.4, 'b')]).params).toEqual({ tag: 'b' });
    expect(medianRound([timed(0.4, 'a'), timed(0.1, 'b'), timed(0.3, 'c'), timed(0.2, 'd')]).params).toEqual({ tag: 'c' });
  });

  it('keeps a single round as it is', () => {
    const one = timed(0.2, 'a');
    expect(medianRound([one])).toBe(one);
  });

  it('reports a failed or skipped round instead of a figure', () => {
    const failed: CaseResult = { name: 'x', suite: 'als', params: {}, unit: '', error: 'boom' };
    expect(medianRound([timed(0.1, 'a'), failed, timed(0.2, 'b')])).toBe(failed);
    const skipped: CaseResult = { name: 'x', suite: 'als', params: {}, unit: '', skipped: 'no BLAS' };
    expect(medianRound([skipped, timed(0.2, 'b')])).toBe(skipped);
  });

  it('takes the median value of a quality check', () => {
    const v = (value: number): CaseResult => ({ name: 'loss', suite: 'als', params: {}, unit: 'relative loss difference', value });
    expect(medianRound([v(3e-3), v(1e-3), v(2e-3)])).toMatchObject({ value: 2e-3, detail: { round_values: [3e-3, 1e-3, 2e-3] } });
  });

  it('refuses no rounds', () => {
    expect(() => medianRound([])).toThrow(/no rounds/);
  });
});
