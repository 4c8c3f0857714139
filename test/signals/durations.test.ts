import { describe, expect, it } from 'vitest';
import { MIN_ESTIMATED_DURATION_MS, withEstimatedDurations } from '../../src/signals/durations.js';
import { computeSignals, formatSignalsSummary } from '../../src/signals/index.js';
import { makeLog } from './make-log.js';

const T = Date.UTC(2026, 0, 5, 12);

describe('track durations estimated for logs without them', () => {
  it('takes a track\'s longest play, floored above the farms\' stream window, and leaves given durations alone', () => {
    const log = makeLog([
      { user: 'a', track: 'song', ts: T, kind: 'play', ms: 150_000 },
      { user: 'b', track: 'song', ts: T, kind: 'skip', ms: 4_000 },
      { user: 'c', track: 'target', ts: T, kind: 'play', ms: 31_000 },
      { user: 'c', track: 'unheard', ts: T, kind: 'like' },
      { user: 'c', track: 'skipped', ts: T, kind: 'skip', ms: 50_000 },
      { user: 'd', track: 'long', ts: T, kind: 'play', ms: 100_000, duration: 400_000 },
    ]);
    const { log: filled, estimated } = withEstimatedDurations(log);
    // A skip says nothing of the length (it ends early by definition): 'skipped' stays unknown.
    expect(Array.from(filled.durationMs!)).toEqual([150_000, 150_000, MIN_ESTIMATED_DURATION_MS, Number.NaN, Number.NaN, 400_000]);
    expect(estimated).toBe(3);
    const complete = makeLog([{ user: 'a', track: 'x', ts: T, kind: 'play', ms: 1, duration: 2 }]);
    expect(withEstimatedDurations(complete).log).toBe(complete);
  });

  it('counts a short track heard to the end as a full play, and reports the estimates', () => {
    // A 150-s song heard in full: against the 210-s default length it was 0.89 of a play.
    const log = makeLog([{ user: 'a', track: 'song', ts: T, kind: 'play', ms: 150_000 }]);
    const { interactions, report } = computeSignals(log, { asOf: T, config: { decay: false } });
    expect(interactions.weight[0]).toBeCloseTo(1, 6);
    expect(report.totals.estimated_durations).toBe(1);
    expect(formatSignalsSummary(report)).toMatch(/; track lengths estimated from the longest plays for 1 events \(the log has no track_duration_ms\)/);
  });
});
