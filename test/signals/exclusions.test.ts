import { describe, expect, it } from 'vitest';
import { Dictionary } from '../../src/data/dictionary.js';
import { computeExclusions } from '../../src/signals/exclusions.js';
import { EVENT_CODE, EVENT_KINDS, type EventLog } from '../../src/types.js';
import { mulberry32 } from '../reference/random.js';

/** A log of random kinds over few users, tracks and times (so pairs repeat and times tie). */
function randomLog(seed: number, n: number, users: number, tracks: number, artists: number): EventLog {
  const rng = mulberry32(seed);
  const int = (k: number): number => Math.floor(rng() * k);
  const artist = Int32Array.from({ length: n }, () => (rng() < 0.3 ? -1 : int(artists)));
  return {
    length: n,
    users: Dictionary.from(Array.from({ length: users }, (_, i) => `u${i}`)),
    tracks: Dictionary.from(Array.from({ length: tracks }, (_, i) => `t${i}`)),
    user: Int32Array.from({ length: n }, () => int(users)),
    track: Int32Array.from({ length: n }, () => int(tracks)),
    timestamp: Float64Array.from({ length: n }, () => 1e12 + int(20) * 1000),
    kind: Uint8Array.from({ length: n }, () => int(EVENT_KINDS.length)),
    msPlayed: new Float32Array(n).fill(Number.NaN),
    ...(artists > 0 ? { artist, artists: Dictionary.from(Array.from({ length: artists }, (_, i) => `a${i}`)) } : {}),
  };
}

/** The rule written plainly: per (user, track) the last dislike against the last like, add or share. */
function reference(log: EventLog, present: Int32Array, artistDislikeMin: number): { tracks: string[]; artists: string[] } {
  const last = new Map<string, { dislike: number; positive: number }>();
  for (const e of present) {
    const k = log.kind[e];
    const positive = k === EVENT_CODE.like || k === EVENT_CODE.playlist_add || k === EVENT_CODE.share;
    if (k !== EVENT_CODE.dislike && !positive) continue;
    const key = `${log.user[e]},${log.track[e]}`;
    const v = last.get(key) ?? { dislike: -Infinity, positive: -Infinity };
    if (positive) v.positive = Math.max(v.positive, log.timestamp[e]);
    else v.dislike = Math.max(v.dislike, log.timestamp[e]);
    last.set(key, v);
  }
  const tracks = [...last].filter(([, v]) => v.dislike > v.positive).map(([key]) => key);
  const artistOf = new Map<number, number>();
  if (log.artist) for (let e = 0; e < log.length; e++) if (log.artist[e] >= 0 && !artistOf.has(log.track[e])) artistOf.set(log.track[e], log.artist[e]);
  const perArtist = new Map<string, number>();
  for (const key of tracks) {
    const [u, t] = key.split(',').map(Number);
    const a = artistOf.get(t);
    if (a !== undefined) perArtist.set(`${u},${a}`, (perArtist.get(`${u},${a}`) ?? 0) + 1);
  }
  const artists = [...perArtist].filter(([, c]) => c >= artistDislikeMin).map(([key]) => key);
  const byPair = (a: string, b: string): number => {
    const [x, y] = a.split(',').map(Number);
    const [p, q] = b.split(',').map(Number);
    return x - p || y - q;
  };
  return { tracks: tracks.sort(byPair), artists: artists.sort(byPair) };
}

function pairsOf(m: { rows: number; indptr: Int32Array; indices: Int32Array }): string[] {
  const out: string[] = [];
  for (let r = 0; r < m.rows; r++) for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) out.push(`${r},${m.indices[p]}`);
  return out;
}

describe('computeExclusions', () => {
  it('agrees with the plain rule on random logs, with ties, repeats, a subset of events and without artists', () => {
    for (const [seed, n, users, tracks, artists, min] of [
      [1, 0, 3, 3, 2, 1],
      [2, 1, 1, 1, 1, 1],
      [3, 400, 5, 8, 3, 2],
      [4, 3000, 40, 30, 6, 2],
      [5, 3000, 40, 30, 0, 2],
      [6, 5000, 700, 900, 50, 1],
    ] as const) {
      const log = randomLog(seed, n, users, tracks, artists);
      const rng = mulberry32(seed + 100);
      const present = Int32Array.from({ length: n }, (_, e) => e).filter(() => rng() < 0.8);
      const want = reference(log, present, min);
      const got = computeExclusions(log, present, min);
      const at = `seed ${seed}`;
      expect(pairsOf(got.tracks), at).toEqual(want.tracks);
      expect(pairsOf(got.artistsByUser), at).toEqual(want.artists);
      expect(got.artistsByUser.cols, at).toBe(artists);
    }
  });

  it('keeps apart pairs whose packed keys differ only above 32 bits', () => {
    // 16 user bits + 17 track bits: users 5 and 5 + 2^15 share the low 32 bits on a track.
    const users = 40_000;
    const tracks = 1 << 17;
    const log: EventLog = {
      length: 2,
      users: Dictionary.from(Array.from({ length: users }, (_, i) => `u${i}`)),
      tracks: Dictionary.from(Array.from({ length: tracks }, (_, i) => `t${i}`)),
      user: Int32Array.of(5, 5 + (1 << 15)),
      track: Int32Array.of(7, 7),
      timestamp: Float64Array.of(1000, 2000),
      kind: Uint8Array.of(EVENT_CODE.dislike, EVENT_CODE.like),
      msPlayed: new Float32Array(2).fill(Number.NaN),
    };
    const got = computeExclusions(log, Int32Array.of(0, 1), 1);
    expect(pairsOf(got.tracks)).toEqual(['5,7']);
  });
});
