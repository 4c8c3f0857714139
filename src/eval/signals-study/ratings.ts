/** Decay on real timestamps: MovieLens ratings ≥ 4 as plays, the latest 20% of each user held out. */
import { readDelimited, type DelimitedRow, type HeaderInfo } from '../../data/index.js';
import { ByteInterner, INVALID_UTF8 } from '../../data/byte-interner.js';
import { Dictionary } from '../../data/dictionary.js';
import { eventsAt } from '../../data/event-window.js';
import { parseNumberBytes } from '../../data/parse-number.js';
import { computeSignals, type SignalsConfigInput } from '../../signals/index.js';
import { EVENT_CODE, type EventLog } from '../../types.js';
import { accuracyAtK } from '../metrics.js';
import type { SparseRows } from '../sparse.js';
import { lastFractionSplit } from '../temporal-split.js';
import { STUDY_TRAINING, topK, type StudyTraining } from './common.js';
import { decayConfig } from './next-week.js';

/**
 * A ratings file (userId, movieId, rating, timestamp in unix seconds) as an event log: each rating
 * ≥ minRating is one `play` (ms played unknown, so it counts as a full play).
 */
export async function readRatingsAsPlays(file: string, minRating = 4): Promise<EventLog> {
  const users = new Dictionary();
  const tracks = new Dictionary();
  const userIds = new ByteInterner(users);
  const trackIds = new ByteInterner(tracks);
  let cap = 1 << 16;
  let user = new Int32Array(cap);
  let track = new Int32Array(cap);
  let time = new Float64Array(cap);
  let n = 0;
  let col = { user: -1, item: -1, rating: -1, time: -1 };
  await readDelimited(file, {
    header(info: HeaderInfo) {
      const find = (name: string): number => {
        const i = info.names.indexOf(name);
        if (i < 0) throw new Error(`${file}: missing column '${name}' (columns: ${info.names.join(', ')})`);
        return i;
      };
      col = { user: find('userId'), item: find('movieId'), rating: find('rating'), time: find('timestamp') };
    },
    row(r: DelimitedRow) {
      const rating = parseNumberBytes(r.bytes, r.start[col.rating], r.end[col.rating]);
      const seconds = parseNumberBytes(r.bytes, r.start[col.time], r.end[col.time]);
      if (!Number.isFinite(rating) || !Number.isFinite(seconds)) {
        throw new Error(`${file}:${r.line}: rating and timestamp must be numbers`);
      }
      if (rating < minRating) return;
      const u = userIds.internBytes(r.bytes, r.start[col.user], r.end[col.user]);
      const i = trackIds.internBytes(r.bytes, r.start[col.item], r.end[col.item]);
      if (u === INVALID_UTF8 || i === INVALID_UTF8) throw new Error(`${file}:${r.line}: invalid UTF-8 in an id`);
      if (n === cap) {
        cap *= 2;
        const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
        user = grow(user, new Int32Array(cap));
        track = grow(track, new Int32Array(cap));
        time = grow(time, new Float64Array(cap));
      }
      user[n] = u;
      track[n] = i;
      time[n] = seconds * 1000;
      n++;
    },
    malformed(line: number, message: string) {
      throw new Error(`${file}:${line}: ${message}`);
    },
  });
  return {
    length: n,
    users,
    tracks,
    user: user.slice(0, n),
    track: track.slice(0, n),
    timestamp: time.slice(0, n),
    kind: new Uint8Array(n).fill(EVENT_CODE.play),
    msPlayed: new Float32Array(n).fill(Number.NaN),
  };
}

function lastFraction(log: EventLog, fraction: number): { train: EventLog; test: SparseRows; users: Int32Array } {
  const ones = new Float32Array(log.length).fill(1);
  const split = lastFractionSplit(log.user, log.track, ones, log.timestamp, log.users.size, log.tracks.size, {
    fraction,
    users: log.users,
    items: log.tracks,
  });
  const users: number[] = [];
  for (let u = 0; u < split.test.rows; u++) if (split.test.indptr[u + 1] > split.test.indptr[u]) users.push(u);
  return { train: eventsAt(log, split.trainEvents), test: split.test, users: Int32Array.from(users) };
}

function lastTime(log: EventLog): number {
  let t = -Infinity;
  for (let e = 0; e < log.length; e++) if (log.timestamp[e] > t) t = log.timestamp[e];
  return t;
}

export interface RatingsDecayOptions {
  /** ratings.csv of MovieLens (userId, movieId, rating, timestamp). */
  file: string;
  minRating?: number;
  /** Held-out share of each user's items, the latest first (default 0.2), for test and for validation. */
  fraction?: number;
  /** Half-lives tried on the validation split (days). */
  halfLives?: number[];
  k?: number;
  training?: StudyTraining;
}

export interface RatingsScore {
  recall: number;
  ndcg: number;
}

export interface RatingsDecayFigures {
  k: number;
  events: number;
  users: number;
  items: number;
  testUsers: number;
  validationUsers: number;
  /** Validation scores (split carved from the training part only) per half-life, and without decay. */
  validation: { noDecay: RatingsScore; halfLives: ({ halfLifeDays: number } & RatingsScore)[] };
  /** The half-life with the best validation NDCG@k. */
  tunedHalfLifeDays: number;
  test: { noDecay: RatingsScore; tuned: RatingsScore };
}

/**
 * Ratings do not come from a playback stream, so the account-trust features (built for plays) are
 * switched off here; decay is what is studied.
 */
const RATINGS_SIGNALS: SignalsConfigInput = Object.freeze({ anomaly: { enabled: false } });

async function ratingsScore(train: EventLog, test: SparseRows, users: Int32Array, halfLife: number | null, k: number, t: StudyTraining): Promise<RatingsScore> {
  const config = { ...RATINGS_SIGNALS, ...decayConfig(halfLife) };
  const { interactions } = computeSignals(train, { asOf: lastTime(train) + 1, config });
  const recs = await topK(interactions, users, k, t);
  const acc = accuracyAtK(recs, k, users, test, k);
  return { recall: acc.mean.recall, ndcg: acc.mean.ndcg };
}

/**
 * Temporal hold-out on ratings (the latest `fraction` of each user's items): the half-life is
 * tuned on a validation split carved the same way from the training part only, then the tuned
 * half-life and no decay are scored once on the test split.
 */
export async function ratingsDecayStudy(o: RatingsDecayOptions): Promise<RatingsDecayFigures> {
  const k = o.k ?? 20;
  const t = o.training ?? { ...STUDY_TRAINING, iterations: 10 };
  const fraction = o.fraction ?? 0.2;
  const halfLives = o.halfLives ?? [30, 90, 180, 365, 730, 1460, 2920];
  if (halfLives.length === 0) throw new RangeError('ratingsDecayStudy: halfLives must not be empty');
  const log = await readRatingsAsPlays(o.file, o.minRating ?? 4);
  const outer = lastFraction(log, fraction);
  const inner = lastFraction(outer.train, fraction);

  const validation: RatingsDecayFigures['validation'] = {
    noDecay: await ratingsScore(inner.train, inner.test, inner.users, null, k, t),
    halfLives: [],
  };
  let best = halfLives[0];
  let bestNdcg = -Infinity;
  for (const h of halfLives) {
    const s = await ratingsScore(inner.train, inner.test, inner.users, h, k, t);
    validation.halfLives.push({ halfLifeDays: h, ...s });
    if (s.ndcg > bestNdcg) {
      bestNdcg = s.ndcg;
      best = h;
    }
  }
  return {
    k,
    events: log.length,
    users: log.users.size,
    items: log.tracks.size,
    testUsers: outer.users.length,
    validationUsers: inner.users.length,
    validation,
    tunedHalfLifeDays: best,
    test: {
      noDecay: await ratingsScore(outer.train, outer.test, outer.users, null, k, t),
      tuned: await ratingsScore(outer.train, outer.test, outer.users, best, k, t),
    },
  };
}
