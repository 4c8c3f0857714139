import { describe, expect, it } from 'vitest';
import { runBenchScript } from './run-script.js';

interface Row {
  setting: string;
  recall: number[];
  recallVsIgnored: number[];
  medianRecallVsIgnored: number;
  mismatch: number[];
}

const runBench = (args: string[]) => runBenchScript('negatives', args);

describe('bench/negatives.ts (smoke)', () => {
  it('prints the dial: recall and taste mismatch of every setting against ignoring skips', () => {
    const args = ['--users', '500', '--tracks', '2000', '--seeds', '1'];
    const r = runBench(args);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { seeds: number[]; rows: Row[]; training: Record<string, unknown> };
    expect(out.training).toMatchObject({ factors: 32, iterations: 8, confidence: 'log' });
    expect(out.seeds).toEqual([1]);
    const rows = new Map(out.rows.map((row) => [row.setting, row]));
    expect(out.rows).toHaveLength(11);
    const ignored = rows.get('skips ignored (weight 0)')!;
    expect(ignored.recallVsIgnored).toEqual([0]);
    for (const row of out.rows) {
      expect(row.recall[0]).toBeGreaterThan(0);
      expect(row.recall[0]).toBeLessThanOrEqual(1);
      expect(row.medianRecallVsIgnored).toBeCloseTo(row.recall[0] / ignored.recall[0] - 1, 3);
    }
    // The taste mismatch falls as skips count more against a track.
    const mismatch = (label: string): number => rows.get(label)!.mismatch[0];
    expect(mismatch('skip -1, confidence ×2')).toBeLessThan(mismatch('skip -0.25, confidence ×0.5'));
    expect(mismatch('skip -0.25, confidence ×0.5')).toBeLessThan(mismatch('skips ignored (weight 0)'));
    expect(mismatch('skips ignored (weight 0)')).toBeLessThan(mismatch('skips as plays'));
  });

  it('trains every arm with the recipe its flags give, and refuses a bad one', () => {
    const recipe = ['--factors', '8', '--iterations', '2', '--regularization', '0.5', '--alpha', '5', '--confidence', 'linear'];
    const r = runBench(['--users', '300', '--tracks', '1000', '--seeds', '2', ...recipe]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { rows: Row[]; training: Record<string, unknown> };
    expect(out.training).toEqual({ factors: 8, iterations: 2, regularization: 0.5, alpha: 5, confidence: 'linear' });
    for (const row of out.rows) expect(row.recall[0]).toBeGreaterThanOrEqual(0);
    const bad = runBench(['--users', '300', '--tracks', '1000', '--seeds', '2', '--confidence', 'cubic']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("--confidence must be one of log, linear, got 'cubic'");
  });
});
