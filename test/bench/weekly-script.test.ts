import { describe, expect, it } from 'vitest';
import { runBenchScript } from './run-script.js';

const bench = (...args: string[]) => runBenchScript('weekly', args);

describe('bench/weekly.ts (smoke)', () => {
  it('profiles the job with and without the hybrid stage and runs it on the pool', () => {
    const common = ['--users', '600', '--tracks', '3000', '--factors', '16', '--threads', '2', '--shard', '200', '--profile', '300', '--content-dim', '8'];
    const runs = ['0', '0.5'].map((w) => {
      const r = bench(...common, '--content-weight', w);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    });
    for (const [i, out] of runs.entries()) {
      expect(out).toMatchObject({ users: 600, tracks: 3000, contentDim: 8, contentWeight: i === 0 ? 0 : 0.5, short: 0 });
      expect(out.profile.users).toBe(300);
      expect(out.profile.cpuMsPerUser.rerank).toBeGreaterThan(0);
      expect(out.usersPerSecond).toBeGreaterThan(0);
    }
    // The blend moves the playlists, so the exposure differs.
    expect(runs[1].exposure).not.toEqual(runs[0].exposure);
    const bad = bench('--users', '10', '--content-weight', '0.3', '--skip-job');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--content-weight needs --content-dim');
  });
});
