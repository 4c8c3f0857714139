import { describe, expect, it } from 'vitest';
import { benchJson, runBenchScript } from './run-script.js';

describe('bench/reveal.ts (smoke)', () => {
  it('reveals a CSV and a JSON Lines output several times and prints the seconds and rows per second', () => {
    const out = benchJson('reveal', ['--users', '300', '--per-user', '5', '--runs', '2']);
    expect(out).toMatchObject({ users: 300, rows: 1500, runs: 2 });
    for (const format of ['csv', 'jsonl']) {
      expect(out.formats[format].all_seconds).toHaveLength(2);
      expect(out.formats[format].seconds).toBeGreaterThan(0);
      expect(out.formats[format].rows_per_second).toBeGreaterThan(0);
    }
    expect(out.peak_rss_mb).toBeGreaterThan(0);
  });

  it('refuses a bad flag, naming it', () => {
    const r = runBenchScript('reveal', ['--users', '0']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--users must be an integer ≥ 1');
  });
});
