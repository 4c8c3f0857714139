/**
 * Does the signals stage make signals trustworthy? Experiments on seeded synthetic worlds (whose
 * planted truth says who the bots are and what each user likes) and on MovieLens ratings, each
 * returning plain figures: bot detection, resistance to stream manipulation, time decay under
 * taste drift, skips as negative evidence, decay on real timestamps, and ingest validation counts
 * against the injected corruption.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readDelimited, readEvents, type DelimitedRow, type HeaderInfo } from '../data/index.js';
import { ByteInterner, INVALID_UTF8 } from '../data/byte-interner.js';
import { Dictionary } from '../data/dictionary.js';
import { parseNumberBytes } from '../data/parse-number.js';
import { CORRUPT_KINDS, generateWorld, skipProbability, worldToEventLog, writeWorld, type World } from '../generate/index.js';
import type { GenerateOptions } from '../generate/index.js';
import { computeSignals, type SignalsConfigInput } from '../signals/index.js';
import { train } from '../train/train.js';
import { EVENT_CODE, type ConfidenceMode, type EventLog, type Interactions } from '../types.js';
import { accuracyAtK } from './metrics.js';
import { FactorRanker } from './model-ranker.js';
import { nextWeekSplit } from './next-week.js';
import { findInRow, interactionRows, type SparseRows } from './sparse.js';
import { lastFractionSplit } from './temporal-split.js';

const DAY_MS = 86_400_000;

/** The size and seed of a synthetic world used by a study. */
export interface StudyWorld {
  users: number;
  tracks: number;
  weeks?: number;
  seed: number;
}

/** ALS settings of the studies (small on purpose: the figures compare signals, not models). */
export interface StudyTraining {
  factors: number;
  iterations: number;
  confidence: ConfidenceMode;
  alpha: number;
  regularization: number;
  threads?: number;
  seed?: number;
}

export const STUDY_TRAINING: Readonly<StudyTraining> = Object.freeze({
  factors: 32,
  iterations: 8,
  confidence: 'log',
  alpha: 2,
  regularization: 0.05,
});

function worldOptions(w: StudyWorld, extra: GenerateOptions = {}): GenerateOptions {
  return { users: w.users, tracks: w.tracks, weeks: w.weeks ?? 8, seed: w.seed, ...extra };
}

/** Train on `inter` and return the top-k unheard tracks (row-major, −1 padded) of `users`. */
async function topK(inter: Interactions, users: Int32Array, k: number, t: StudyTraining): Promise<Int32Array> {
  const model = await train(inter, {
    factors: t.factors,
    iterations: t.iterations,
    confidence: t.confidence,
    alpha: t.alpha,
    regularization: t.regularization,
    ...(t.threads !== undefined ? { threads: t.threads } : {}),
    seed: t.seed ?? 42,
  });
  const ranker = new FactorRanker('als', model.data.userFactors, model.data.itemFactors, model.factors);
  return ranker.recommend(users, k, interactionRows(inter));
}

function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------------------------------------------------------------------------------------------
// Bots

export interface BotDetectionOptions {
  world: StudyWorld;
  /** Bot accounts as a share of users (default 0.05). */
  share?: number;
  /** Farms (default 10; styles assigned in turn: around the clock, shifts, disguised). */
  farms?: number;
  /** Share of genuine users who are heavy listeners (default 0.04, so the heavy rate is measurable). */
  heavyShare?: number;
  /** Trust below which an account counts as flagged (default 0.5). */
  threshold?: number;
}

export interface BotDetectionFigures {
  seed: number;
  accounts: number;
  bots: number;
  flagged: number;
  /** Share of bot accounts flagged. */
  recall: number;
  /** Share of flagged accounts that are bots. */
  precision: number;
  /** Per farm style: bots and how many were flagged. */
  byStyle: Record<string, { bots: number; flagged: number }>;
  heavyListeners: number;
  heavyFlagged: number;
  heavyFlaggedShare: number;
  /** Genuine accounts flagged, and genuine accounts with any trust reduction (trust < 1). */
  genuineFlagged: number;
  genuineBelowFullTrust: number;
}

/** Recall and precision of trust < threshold against the planted bots, and heavy listeners flagged. */
export function botDetectionStudy(o: BotDetectionOptions): BotDetectionFigures {
  const threshold = o.threshold ?? 0.5;
  const world = generateWorld(
    worldOptions(o.world, { heavyShare: o.heavyShare ?? 0.04, bots: { share: o.share ?? 0.05, farms: o.farms ?? 10 } }),
  );
  const { report, interactions } = computeSignals(worldToEventLog(world), { asOf: world.endMs });
  const trust = interactions.trust!;
  const pop = world.population;
  const byStyle: Record<string, { bots: number; flagged: number }> = {};
  let truePositive = 0;
  let flagged = 0;
  let heavy = 0;
  let heavyFlagged = 0;
  let genuineFlagged = 0;
  let genuineBelow = 0;
  for (let u = 0; u < pop.count; u++) {
    const isFlagged = trust[u] < threshold;
    if (isFlagged) flagged++;
    if (u >= pop.genuine) {
      const s = (byStyle[world.farms[pop.farm[u]].style] ??= { bots: 0, flagged: 0 });
      s.bots++;
      if (isFlagged) {
        s.flagged++;
        truePositive++;
      }
      continue;
    }
    if (isFlagged) genuineFlagged++;
    if (trust[u] < 1) genuineBelow++;
    if (pop.heavy[u] === 1) {
      heavy++;
      if (isFlagged) heavyFlagged++;
    }
  }
  const bots = pop.count - pop.genuine;
  if (report.totals.not_human_accounts !== flagged && threshold === report.config.anomaly.notHumanBelow) {
    throw new Error(`botDetectionStudy: report counts ${report.totals.not_human_accounts} not-human accounts, trust gives ${flagged}`);
  }
  return {
    seed: o.world.seed,
    accounts: pop.count,
    bots,
    flagged,
    recall: bots > 0 ? truePositive / bots : Number.NaN,
    precision: flagged > 0 ? truePositive / flagged : Number.NaN,
    byStyle,
    heavyListeners: heavy,
    heavyFlagged,
    heavyFlaggedShare: heavy > 0 ? heavyFlagged / heavy : Number.NaN,
    genuineFlagged,
    genuineBelowFullTrust: genuineBelow,
  };
}

// ---------------------------------------------------------------------------------------------
// Manipulation

export interface ManipulationOptions {
  world: StudyWorld;
  share?: number;
  farms?: number;
  k?: number;
  training?: StudyTraining;
}

export interface ExposureFigures {
  /** Share of organic (genuine) users whose top-k holds at least one farm target. */
  share: number;
  /** Target slots over all organic users' lists. */
  slots: number;
}

export interface ManipulationFigures {
  seed: number;
  k: number;
  training: StudyTraining;
  targets: number;
  organicUsers: number;
  /** Genuine listening is identical with and without bots (same seed): checked, not assumed. */
  sameGenuineEvents: boolean;
  /** The world generated without bots (same seed): the organic baseline. */
  withoutBots: ExposureFigures;
  /** Bots present, default signals (anomaly trust on). */
  filtered: ExposureFigures;
  /** Bots present, `anomaly.enabled: false` (trust ignored; early-skip rule and daily cap still on). */
  anomalyOff: ExposureFigures;
  /** Bots present, every stream counted: anomaly off, no early-skip rule, no daily cap. */
  naive: ExposureFigures;
  ratios: { filtered: number; anomalyOff: number; naive: number };
}

/** Signals config of "anomaly detection off". */
export const ANOMALY_OFF: SignalsConfigInput = Object.freeze({ anomaly: { enabled: false } });
/** Signals config of a naive play counter: no trust, every stream a (partial) play, no daily cap. */
export const NAIVE_COUNTING: SignalsConfigInput = Object.freeze({
  anomaly: { enabled: false },
  skip: { earlyMs: 0, earlyFraction: 0 },
  capPlaysPerTrackPerDay: 1_000_000,
});

async function targetExposure(world: World, config: SignalsConfigInput | undefined, targetIds: readonly string[], k: number, t: StudyTraining): Promise<ExposureFigures> {
  const log = worldToEventLog(world);
  const { interactions } = computeSignals(log, { asOf: world.endMs, config });
  const organic = range(world.population.genuine);
  const recs = await topK(interactions, organic, k, t);
  const isTarget = new Uint8Array(log.tracks.size);
  for (const id of targetIds) {
    const i = log.tracks.get(id);
    if (i !== undefined) isTarget[i] = 1;
  }
  let users = 0;
  let slots = 0;
  for (let r = 0; r < organic.length; r++) {
    let hit = 0;
    for (let j = 0; j < k; j++) {
      const i = recs[r * k + j];
      if (i >= 0 && isTarget[i] === 1) hit++;
    }
    slots += hit;
    if (hit > 0) users++;
  }
  return { share: users / organic.length, slots };
}

/**
 * Share of organic users whose top-k contains a farm's target track: in the world with bots under
 * default signals, with anomaly detection off, with naive counting, and in the same world
 * generated without bots.
 */
export async function manipulationStudy(o: ManipulationOptions): Promise<ManipulationFigures> {
  const k = o.k ?? 30;
  const t = o.training ?? STUDY_TRAINING;
  const withBots = generateWorld(worldOptions(o.world, { bots: { share: o.share ?? 0.05, farms: o.farms ?? 10 } }));
  const clean = generateWorld(worldOptions(o.world));
  const targetIds: string[] = [];
  for (const f of withBots.truth.bots.farms) targetIds.push(...f.targets);
  const withoutBots = await targetExposure(clean, undefined, targetIds, k, t);
  const filtered = await targetExposure(withBots, undefined, targetIds, k, t);
  const anomalyOff = await targetExposure(withBots, ANOMALY_OFF, targetIds, k, t);
  const naive = await targetExposure(withBots, NAIVE_COUNTING, targetIds, k, t);
  const base = withoutBots.share;
  return {
    seed: o.world.seed,
    k,
    training: { ...t },
    targets: new Set(targetIds).size,
    organicUsers: withBots.population.genuine,
    sameGenuineEvents: withBots.truth.events.genuine === clean.truth.events.genuine && withBots.population.genuine === clean.population.genuine,
    withoutBots,
    filtered,
    anomalyOff,
    naive,
    ratios: { filtered: filtered.share / base, anomalyOff: anomalyOff.share / base, naive: naive.share / base },
  };
}

// ---------------------------------------------------------------------------------------------
// Next-week recall and planted-taste mismatch under a signals config

export interface NextWeekFigures {
  /** Users with at least one discovery in the test week. */
  users: number;
  recall: number;
  ndcg: number;
  /** Mean planted skip probability (generator truth, last week) of the recommended tracks. */
  mismatch: number;
  /** Mean listeners before the cut (see `NextWeekSplit.listeners`) of the recommended tracks ... */
  listPopularity: number;
  /** ... and of the recommended tracks that were hits: where next week's discoveries lie. */
  hitPopularity: number;
  negativeEntries: number;
}

interface NextWeekSetup {
  world: World;
  log: EventLog;
  cut: number;
  test: SparseRows;
  users: Int32Array;
  listeners: Float64Array;
}

function nextWeekSetup(world: World): NextWeekSetup {
  const log = worldToEventLog(world);
  const cut = world.endMs - 7 * DAY_MS;
  const split = nextWeekSplit(log, cut);
  return { world, log, cut, test: split.test, users: split.users, listeners: split.listeners };
}

async function nextWeekFigures(s: NextWeekSetup, config: SignalsConfigInput, k: number, t: StudyTraining): Promise<NextWeekFigures> {
  const { interactions, report } = computeSignals(s.log, { asOf: s.cut, config });
  const recs = await topK(interactions, s.users, k, t);
  const acc = accuracyAtK(recs, k, s.users, s.test, k);
  const week = s.world.options.weeks - 1;
  let sum = 0;
  let n = 0;
  let listSum = 0;
  let hitSum = 0;
  let hits = 0;
  for (let r = 0; r < s.users.length; r++) {
    const u = s.users[r];
    for (let j = 0; j < k; j++) {
      const i = recs[r * k + j];
      if (i < 0) continue;
      sum += skipProbability(s.world, u, i, week);
      listSum += s.listeners[i];
      n++;
      if (findInRow(s.test, u, i) >= 0) {
        hitSum += s.listeners[i];
        hits++;
      }
    }
  }
  return {
    users: acc.evaluated,
    recall: acc.mean.recall,
    ndcg: acc.mean.ndcg,
    mismatch: n > 0 ? sum / n : Number.NaN,
    listPopularity: n > 0 ? listSum / n : Number.NaN,
    hitPopularity: hits > 0 ? hitSum / hits : Number.NaN,
    negativeEntries: report.totals.negative_entries,
  };
}

function decayConfig(halfLifeDays: number | null): SignalsConfigInput {
  return halfLifeDays === null ? { decay: false } : { halfLifeDays };
}

// ---------------------------------------------------------------------------------------------
// Decay under drift

export interface DecayOptions {
  world: StudyWorld;
  /** Drift strengths of the worlds compared (default [0.8, 0]). */
  drifts?: number[];
  /** Half-lives in days to compare with no decay (default [90, 30, 14, 10, 7]; 10 is the default). */
  halfLives?: number[];
  k?: number;
  training?: StudyTraining;
}

export interface DecayRow {
  halfLifeDays: number;
  recall: number;
  ndcg: number;
  mismatch: number;
  /** recall / recall without decay − 1. */
  relativeGain: number;
}

export interface DecayFigures {
  k: number;
  worlds: { drift: number; users: number; noDecay: NextWeekFigures; halfLives: DecayRow[] }[];
}

/** Next-week recall@k with no decay and with each half-life, on a drifting and a stable world. */
export async function decayStudy(o: DecayOptions): Promise<DecayFigures> {
  const k = o.k ?? 30;
  const t = o.training ?? STUDY_TRAINING;
  const worlds: DecayFigures['worlds'] = [];
  for (const drift of o.drifts ?? [0.8, 0]) {
    const setup = nextWeekSetup(generateWorld(worldOptions(o.world, { drift })));
    const noDecay = await nextWeekFigures(setup, decayConfig(null), k, t);
    const rows: DecayRow[] = [];
    for (const h of o.halfLives ?? [90, 30, 14, 10, 7]) {
      const f = await nextWeekFigures(setup, decayConfig(h), k, t);
      rows.push({ halfLifeDays: h, recall: f.recall, ndcg: f.ndcg, mismatch: f.mismatch, relativeGain: f.recall / noDecay.recall - 1 });
    }
    worlds.push({ drift, users: noDecay.users, noDecay, halfLives: rows });
  }
  return { k, worlds };
}

// ---------------------------------------------------------------------------------------------
// Skips as negative evidence

export interface NegativesOptions {
  world: StudyWorld;
  /** Drift of the world (default: the generator's default). */
  drift?: number;
  k?: number;
  training?: StudyTraining;
  /** Signals config of the arm with negatives (default: the defaults); the other arms zero its weights. */
  config?: SignalsConfigInput;
}

export interface NegativesFigures {
  k: number;
  /** Default signals: early skips and dislikes are negative evidence. */
  withNegatives: NextWeekFigures;
  /** `skip.negative: false`: early skips count as plays of the fraction heard, as in a pipeline without negative feedback. */
  skipsAsPlays: NextWeekFigures;
  /** `weights.skip: 0`: early skips carry no evidence (dislikes still do). */
  skipWeightZero: NextWeekFigures;
  /** Skips and dislikes carry no evidence (`weights.skip: 0, weights.dislike: 0`). */
  noNegatives: NextWeekFigures;
}

export const SKIPS_IGNORED: SignalsConfigInput = Object.freeze({ weights: { skip: 0 } });
export const NEGATIVES_IGNORED: SignalsConfigInput = Object.freeze({ weights: { skip: 0, dislike: 0 } });

/** Next-week recall@k and planted-taste mismatch with and without negative evidence. */
export async function negativesStudy(o: NegativesOptions): Promise<NegativesFigures> {
  const base = o.config ?? {};
  const [withNegatives, skipsAsPlays, skipWeightZero, noNegatives] = (
    await negativesDial(o, [
      { label: 'withNegatives', config: base },
      { label: 'skipsAsPlays', config: { ...base, skip: { ...base.skip, negative: false } } },
      { label: 'skipWeightZero', config: { ...base, weights: { ...base.weights, ...SKIPS_IGNORED.weights } } },
      { label: 'noNegatives', config: { ...base, weights: { ...base.weights, ...NEGATIVES_IGNORED.weights } } },
    ])
  ).map((r) => r.figures);
  return { k: o.k ?? 30, withNegatives, skipsAsPlays, skipWeightZero, noNegatives };
}

/** One setting of the negatives dial: a label and the signals config it stands for. */
export interface NegativesSetting {
  label: string;
  config: SignalsConfigInput;
}

/**
 * How strongly skips should count against a track: next-week figures of each setting on one
 * world (one split, one training recipe), so settings compare like for like.
 */
export async function negativesDial(o: Omit<NegativesOptions, 'config'>, settings: readonly NegativesSetting[]): Promise<{ label: string; figures: NextWeekFigures }[]> {
  const k = o.k ?? 30;
  const t = o.training ?? STUDY_TRAINING;
  const setup = nextWeekSetup(generateWorld(worldOptions(o.world, o.drift !== undefined ? { drift: o.drift } : {})));
  const rows: { label: string; figures: NextWeekFigures }[] = [];
  for (const s of settings) rows.push({ label: s.label, figures: await nextWeekFigures(setup, s.config, k, t) });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Real timestamps: MovieLens ratings

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

/** The events of `log` at `rows` (same dictionaries). */
function subLog(log: EventLog, rows: Int32Array): EventLog {
  const n = rows.length;
  const user = new Int32Array(n);
  const track = new Int32Array(n);
  const timestamp = new Float64Array(n);
  const kind = new Uint8Array(n);
  const msPlayed = new Float32Array(n);
  for (let q = 0; q < n; q++) {
    const e = rows[q];
    user[q] = log.user[e];
    track[q] = log.track[e];
    timestamp[q] = log.timestamp[e];
    kind[q] = log.kind[e];
    msPlayed[q] = log.msPlayed[e];
  }
  return { length: n, users: log.users, tracks: log.tracks, user, track, timestamp, kind, msPlayed };
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
  return { train: subLog(log, split.trainEvents), test: split.test, users: Int32Array.from(users) };
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

// ---------------------------------------------------------------------------------------------
// Validation counts against injected corruption

export interface CorruptionFigures {
  injected: Record<string, number>;
  reported: Record<string, number>;
  /** Rules whose reported count differs from the injected count of the same name. */
  mismatched: string[];
}

/**
 * Writes a world with corrupt rows to a temporary folder, reads events.csv back with skipBad as of
 * the world's end, and compares the report's validation counts with truth.corrupt.
 */
export async function corruptionStudy(o: { world: StudyWorld; corruptRows: number }): Promise<CorruptionFigures> {
  const world = generateWorld(worldOptions(o.world, { corruptRows: o.corruptRows }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-corrupt-'));
  try {
    await writeWorld(world, dir);
    const { log, report: ingest } = await readEvents(path.join(dir, 'events.csv'), { asOf: world.endMs, skipBad: true });
    const { report } = computeSignals(log, { asOf: world.endMs, validation: ingest.validation });
    const reported = report.validation as Record<string, number>;
    const injected: Record<string, number> = { ...world.truth.corrupt };
    const mismatched = CORRUPT_KINDS.filter((kind) => reported[kind] !== injected[kind]);
    return { injected, reported, mismatched };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Rounded copies of figures for printing. */
export function roundFigures<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? round(v) : v))) as T;
}
