import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Row {
  setting: string;
  recall: number[];
  recallVsIgnored: number[];
  medianRecallVsIgnored: number;
  mismatch: number[];
}

describe('bench/negatives.ts (smoke)', () => {
  it('prints the dial: recall and taste mismatch of every setting against ignoring skips', () => {
    const args = ['--users', '500', '--tracks', '2000', '--seeds', '1'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'negatives.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { seeds: number[]; rows: Row[] };
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
});
