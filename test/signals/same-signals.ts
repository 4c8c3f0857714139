/** Test helpers: a random event log, and the check that two runs of the signals stage agree. */
import { expect } from 'vitest';
import { Dictionary } from '../../src/data/dictionary.js';
import type { SignalsResult } from '../../src/signals/index.js';
import { EVENT_KINDS, type EventLog } from '../../src/types.js';
import { mulberry32 } from '../reference/random.js';
import { bytesOf } from '../reference/shared.js';

/** Bit for bit the same interactions and exclusions, and an equal report. */
export function expectSame(got: SignalsResult, want: SignalsResult, log: EventLog, at: string): void {
  expect(got.interactions.users, at).toBe(log.users);
  expect(got.interactions.items, at).toBe(log.tracks);
  for (const key of ['indptr', 'indices', 'pref', 'weight', 'trust'] as const) {
    expect(bytesOf(got.interactions[key]!).equals(bytesOf(want.interactions[key]!)), `${at}: ${key}`).toBe(true);
  }
  for (const side of ['tracks', 'artistsByUser'] as const) {
    expect(got.exclusions[side].rows, `${at}: ${side}`).toBe(want.exclusions[side].rows);
    expect(got.exclusions[side].cols, `${at}: ${side}`).toBe(want.exclusions[side].cols);
    expect(got.exclusions[side].indptr, `${at}: ${side}`).toEqual(want.exclusions[side].indptr);
    expect(got.exclusions[side].indices, `${at}: ${side}`).toEqual(want.exclusions[side].indices);
  }
  expect(got.report, at).toEqual(want.report);
}

/** Random kinds, durations and artists over few users and tracks (every rule has work to do). */
export function randomLog(seed: number, n: number): EventLog {
  const rng = mulberry32(seed);
  const int = (k: number): number => Math.floor(rng() * k);
  const start = Date.UTC(2026, 0, 1);
  return {
    length: n,
    users: Dictionary.from(Array.from({ length: 60 }, (_, i) => `u${i}`)),
    tracks: Dictionary.from(Array.from({ length: 90 }, (_, i) => `t${i}`)),
    user: Int32Array.from({ length: n }, () => int(60)),
    track: Int32Array.from({ length: n }, () => int(90)),
    timestamp: Float64Array.from({ length: n }, () => start + int(40 * 86_400_000)),
    kind: Uint8Array.from({ length: n }, () => int(EVENT_KINDS.length)),
    msPlayed: Float32Array.from({ length: n }, () => (rng() < 0.1 ? Number.NaN : int(240_000))),
    durationMs: Float32Array.from({ length: n }, () => (rng() < 0.2 ? Number.NaN : 120_000 + int(120_000))),
    artist: Int32Array.from({ length: n }, () => (rng() < 0.2 ? -1 : int(12))),
    artists: Dictionary.from(Array.from({ length: 12 }, (_, i) => `a${i}`)),
  };
}
