/** A seeded synthetic event log as typed arrays, shared by the ingest and signals benchmarks. */
import { Dictionary } from '../src/data/dictionary.js';
import { EVENT_CODE, type EventLog } from '../src/types.js';
import { mulberry32 } from '../src/util/random.js';

export interface SyntheticLogShape {
  users?: number;
  tracks?: number;
  /** Days the timestamps spread over, from 2023-01-01 UTC. */
  days?: number;
}

/**
 * A listening log: users uniform, skewed track popularity, mostly plays, epoch-ms timestamps
 * uniform over the days (in no order, as a log gathered from many servers is). The default shape
 * is the ingest benchmark's (100,000 users, 200,000 tracks, a year); the same seed gives the same log.
 */
export function syntheticLog(n: number, seed: number, shape: SyntheticLogShape = {}): EventLog {
  const nUsers = shape.users ?? 100_000;
  const nTracks = shape.tracks ?? 200_000;
  const span = (shape.days ?? 365) * 86_400_000;
  const rand = mulberry32(seed >>> 0);
  const user = new Int32Array(n);
  const track = new Int32Array(n);
  const timestamp = new Float64Array(n);
  const kind = new Uint8Array(n);
  const msPlayed = new Float32Array(n);
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < n; i++) {
    user[i] = Math.floor(rand() * nUsers);
    track[i] = Math.floor(rand() ** 3 * nTracks);
    timestamp[i] = start + Math.floor(rand() * span);
    const k = rand();
    if (k < 0.85) {
      kind[i] = EVENT_CODE.play;
      msPlayed[i] = 30_000 + Math.floor(rand() * 210_000);
    } else if (k < 0.93) {
      kind[i] = EVENT_CODE.skip;
      msPlayed[i] = Math.floor(rand() * 30_000);
    } else {
      kind[i] = k < 0.96 ? EVENT_CODE.like : k < 0.97 ? EVENT_CODE.dislike : k < 0.99 ? EVENT_CODE.playlist_add : EVENT_CODE.share;
      msPlayed[i] = NaN;
    }
  }
  const users = Dictionary.from(Array.from({ length: nUsers }, (_, i) => `u${i}`));
  const tracks = Dictionary.from(Array.from({ length: nTracks }, (_, i) => `t${i}`));
  return { length: n, users, tracks, user, track, timestamp, kind, msPlayed };
}
