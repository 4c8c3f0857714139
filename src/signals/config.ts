/**
 * Configuration of the signals stage: how much each event counts, how fast evidence ages, how
 * skips and dislikes turn into negative evidence, and how suspicious accounts are judged.
 *
 * Every field is optional in a config file and filled with the default below; unknown keys are
 * errors so a typo cannot silently fall back to a default.
 *
 * | key                                   | default | meaning |
 * |---------------------------------------|---------|---------|
 * | weights.play                          | 1       | evidence of one full play (partial plays count by fraction heard) |
 * | weights.like                          | 3       | an explicit like |
 * | weights.playlist_add                  | 3       | adding the track to a playlist |
 * | weights.share                         | 2       | sharing the track |
 * | weights.skip                          | -0.5    | one early skip (an early `skip`, or a `play` under skip.earlyMs) |
 * | weights.dislike                       | -4      | an explicit dislike |
 * | weights.other                         | 0       | unknown kinds (kept, reported, not counted) |
 * | play.typicalDurationMs                | 210000  | track length assumed when the log has no duration |
 * | play.fullPlayFraction                 | 0.8     | heard ≥ this fraction of the track counts as a full play |
 * | skip.earlyMs                          | 30000   | a play or skip shorter than this is an early skip ... |
 * | skip.earlyFraction                    | 0.25    | ... and so is a `skip` shorter than this fraction of the track |
 * | skip.negative                         | true    | early skips are negative evidence (false: plays of the fraction heard) |
 * | repeat.mode, repeat.exponent          | log, 0.5| diminishing returns of repeated evidence (see `repeatTransform`) |
 * | negativeConfidence                    | 2       | multiplier of the weight of net-negative entries |
 * | decay                                 | true    | time decay on/off |
 * | halfLifeDays                          | 10      | half-life of the exponential decay (null or 0: off) |
 * | capPlaysPerTrackPerDay                | 20      | plays of one track by one user counted per UTC day |
 * | artistDislikeMin                      | 2       | disliked tracks of one artist that exclude the artist |
 * | anomaly.minPlays                      | 20      | playbacks an account needs to be judged |
 * | anomaly.zMild, anomaly.zStrong        | 3, 7    | robust z where a feature starts / is fully anomalous |
 * | anomaly.rankWeights                   | .2 .65 .35 .35 | weights of the sorted family strengths |
 * | anomaly.notHumanBelow                 | 0.5     | trust below which an account is judged not human |
 * | anomaly.dropBelowTrust                | 0.5     | trust below which an account's entries are dropped |
 * | anomaly.trackLowTrustShare, trackMinPlays | 0.5, 50 | track flagged: > 50% of ≥ 50 plays from non-humans |
 *
 * Why a 10-day half-life: the playlist is weekly and should follow what the listener is into
 * *now*. At 10 days last week's plays keep ~60% of their weight, a month ago ~12%, a quarter ago
 * ~0.2%; a favourite the user keeps returning to stays strong through its fresh plays (and the
 * log-repeat rule), while a drift toward a new genre shows in the playlist within two weeks.
 * Decay scales every entry of a user alike when they are inactive, so only the *relative* weights
 * change; the ALS confidence 1 + α·w then treats old evidence as weaker, never as negative.
 * Measured on generated worlds (8 weeks, next-week recall@30, see bench/signals.ts): with strong
 * drift 7/10/14-day half-lives gain +15%/+12%/+10% over no decay and 90 days only +1%; without
 * drift none of them costs recall. For logs spanning years with long-inactive users (e.g. rating
 * datasets) tune it (`mixtape tune`) or turn it off.
 */
import { readJsonFile } from '../util/json-file.js';
import { z } from 'zod';

const positive = z.number().finite().min(0);
const negative = z.number().finite().max(0);

/** Signed evidence per event kind: ≥ 0 counts as positive evidence, ≤ 0 as negative. */
const weightsSchema = z
  .strictObject({
    play: positive.default(1),
    like: positive.default(3),
    playlist_add: positive.default(3),
    share: positive.default(2),
    skip: negative.default(-0.5),
    dislike: negative.default(-4),
    other: z.number().finite().default(0),
  })
  .prefault({});

const playSchema = z
  .strictObject({
    /** Assumed track length (ms) when the log has no duration for the event. */
    typicalDurationMs: z.number().finite().positive().default(210_000),
    /** Fraction of the track from which a play counts fully; below it, proportionally. */
    fullPlayFraction: z.number().finite().gt(0).max(1).default(0.8),
  })
  .prefault({});

const skipSchema = z
  .strictObject({
    /** A play or skip that stopped before this many ms is an early skip ... */
    earlyMs: z.number().finite().min(0).default(30_000),
    /** ... as is a `skip` that stopped before this fraction of the track (a `play` past earlyMs is a stream). */
    earlyFraction: z.number().finite().min(0).max(1).default(0.25),
    /** Early skips are negative evidence; false counts them as plays of the fraction heard. */
    negative: z.boolean().default(true),
  })
  .prefault({});

/**
 * Diminishing returns of repeated evidence on one (user, track), applied separately to the summed
 * positive evidence x and the summed negative evidence:
 *   log:    g(x) = log2(1 + x)   (1 full play → 1, 3 → 2, 7 → 3: each doubling adds one unit)
 *   power:  g(x) = x^exponent    (exponent in (0, 1])
 *   linear: g(x) = x
 */
const repeatSchema = z
  .strictObject({
    mode: z.enum(['log', 'power', 'linear']).default('log'),
    exponent: z.number().finite().gt(0).max(1).default(0.5),
  })
  .prefault({});

/** Robust-z floors (natural units) per account feature, so a tight population cannot make tiny
 * deviations look extreme. */
const madFloorSchema = z
  .strictObject({
    peakPlaysPerHour: positive.default(4),
    playsPerActiveDay: positive.default(15),
    activeHoursPerDay: positive.default(1.5),
    shortPlayShare: positive.default(0.03),
    gapRegularity: positive.default(0.1),
    topTrackShare: positive.default(0.05),
    unfinishedLoopShare: positive.default(0.03),
    distinctTrackRatio: positive.default(0.1),
    hourEntropy: positive.default(0.25),
    quietHours: positive.default(1.5),
  })
  .prefault({});

/**
 * Account trust. Each feature gets a one-sided robust z-score (median and MAD over accounts with
 * at least `minPlays` plays). A z between `zMild` and `zStrong` maps linearly to an anomaly
 * strength in [0, 1]. Features form families (volume, mechanical playback, concentration, daily
 * rhythm); a family's strength is its strongest feature. With the family strengths sorted
 * descending s1 ≥ s2 ≥ s3 ≥ s4, trust = 1 − min(1, Σ rankWeights[i]·s_i). The defaults make one
 * family alone (e.g. a very heavy but human listener) cost at most 0.2, while two strong families
 * leave at most 0.15: being judged not human (trust < `notHumanBelow`) needs joint evidence —
 * one strong family plus a second at z ≈ 4.8, or three or four moderately anomalous ones.
 */
const anomalySchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Accounts with fewer playback events are not judged (trust 1) and do not shape the medians. */
    minPlays: z.number().int().min(1).default(20),
    zMild: positive.default(3),
    zStrong: positive.default(7),
    rankWeights: z.array(positive).length(4).default([0.2, 0.65, 0.35, 0.35]),
    /** A play counts as "ending in the short window" when its ms played lies in [from, to). */
    shortPlayWindowMs: z.tuple([positive, positive]).default([30_000, 35_000]),
    /** Gaps longer than this end a listening session (for the regularity feature). */
    sessionGapMs: positive.default(30 * 60_000),
    madFloor: madFloorSchema,
    /** Below this trust an account is judged not human (reported, its plays flag tracks). */
    notHumanBelow: z.number().min(0).max(1).default(0.5),
    /** Below this trust an account's interactions are dropped rather than scaled. */
    dropBelowTrust: z.number().min(0).max(1).default(0.5),
    /** A track is flagged when more than this share of its plays come from accounts judged not human ... */
    trackLowTrustShare: z.number().min(0).max(1).default(0.5),
    /** ... and it has at least this many plays. */
    trackMinPlays: z.number().int().min(1).default(50),
  })
  .prefault({});

export const signalsConfigSchema = z.strictObject({
  weights: weightsSchema,
  play: playSchema,
  skip: skipSchema,
  repeat: repeatSchema,
  /** Net-negative entries get weight (N − P) × this: a confident "no" in the ALS objective. */
  negativeConfidence: positive.default(2),
  decay: z.boolean().default(true),
  halfLifeDays: positive.nullable().default(10),
  capPlaysPerTrackPerDay: z.number().int().min(1).default(20),
  artistDislikeMin: z.number().int().min(1).default(2),
  anomaly: anomalySchema,
});

/** The resolved configuration (every field present). */
export type SignalsConfig = z.output<typeof signalsConfigSchema>;
/** What a config file or the `config` option may hold: every field optional, at any depth. */
export type SignalsConfigInput = z.input<typeof signalsConfigSchema>;

/** The full default configuration. */
export function defaultSignalsConfig(): SignalsConfig {
  return signalsConfigSchema.parse({});
}

/** Fill defaults and validate; `source` names where the input came from in error messages. */
export function resolveSignalsConfig(input: SignalsConfigInput | undefined, source = 'config'): SignalsConfig {
  const r = signalsConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  // One line: the command line shows an error's first line only, and the problems are the news.
  const problems = r.error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${base ? `${base}.` : ''}${k}: unknown key`);
    return [`${base || '(root)'}: ${issue.message}`];
  });
  throw new Error(`${source}: ${problems.join('; ')}`);
}

/** Read, parse and validate a JSON config file; errors name the file and the bad key. */
export function loadSignalsConfig(file: string): SignalsConfig {
  const json = readJsonFile(file, 'signals config');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error(`${file}: signals config must be a JSON object`);
  }
  return resolveSignalsConfig(json as SignalsConfigInput, file);
}

/** Whether time decay is active for a resolved config. */
export function decayHalfLifeDays(config: SignalsConfig): number | null {
  return config.decay && config.halfLifeDays !== null && config.halfLifeDays > 0 ? config.halfLifeDays : null;
}
