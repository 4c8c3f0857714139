import { describe, expect, it } from 'vitest';
import { benchJson, runBenchScript } from './run-script.js';

describe('bench/service.ts (smoke)', () => {
  it('times the module’s calls on a saved and reloaded model and prints their medians', () => {
    const out = benchJson('service', ['--users', '300', '--tracks', '2000', '--factors', '8', '--calls', '3', '--concurrency', '2']);
    expect(out.model).toEqual({ users: 300, tracks: 2000, factors: 8 });
    for (const call of ['foldIn', 'similarTracks', 'weeklyPlaylist']) {
      expect(out.firstCall.coldMs[call], call).toBeGreaterThan(0);
      expect(out.firstCall.warmedMs[call], call).toBeGreaterThanOrEqual(0);
    }
    for (const call of ['recommend', 'similarTracks', 'foldIn', 'recommendVector', 'weeklyPlaylist']) {
      const l = out.latency[call];
      expect(l.minMs, call).toBeLessThanOrEqual(l.medianMs);
      expect(l.medianMs, call).toBeLessThanOrEqual(l.maxMs);
      expect(l.callsPerSecond, call).toBeGreaterThan(0);
    }
    expect(out.concurrent).toMatchObject({ concurrency: 2, calls: 3 });
    expect(out.concurrent.eventLoopDelayMs.max).toBeGreaterThanOrEqual(out.concurrent.eventLoopDelayMs.p50);
  });

  it('stops on a misspelt flag instead of running on the defaults', () => {
    const r = runBenchScript('service', ['--user', '300']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Unknown option '--user'");
  });
});
