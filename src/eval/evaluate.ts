/**
 * The evaluation driver: ask a ranker for top-K lists of the evaluated users once (at the largest
 * K), then score every K on prefixes of those lists, with bootstrap intervals over users and the
 * beyond-accuracy properties. The result is plain JSON for the CLI table and the HTML report; the
 * per-user arrays stay alongside for paired comparisons.
 */
import type { Interactions } from '../types.js';
import { mostPopular } from './baselines.js';
import {
  accuracyAtK,
  ACCURACY_METRICS,
  artistDiversity,
  artistExposureGini,
  catalogCoverage,
  intraListDiversity,
  novelty,
  popularityLift,
  serendipity,
  type AccuracyMetric,
} from './metrics.js';
import { recommendLists, type Ranker } from './ranker.js';
import { checkLists } from './lists.js';
import { checkSparseRows, interactionRows, itemUserCounts, positiveRows, type RowSets, type SparseRows } from './sparse.js';
import { bootstrapCIs, pairedComparison, type BootstrapOptions, type Interval, type PairedResult } from './stats.js';

export interface EvalSplit {
  train: Interactions;
  /** Binary test positives, users × items like train. */
  test: SparseRows;
  /** Users to evaluate (default: every user with at least one test item). */
  users?: Int32Array;
  /** Items never recommended to each user (default: all of the user's training entries). */
  exclude?: RowSets;
}

export interface EvaluateOptions {
  /** Cut-offs (default [5, 10, 20, 50]). */
  ks?: number[];
  bootstrap?: BootstrapOptions;
  /** Item vectors (items × dim) for intra-list diversity. */
  itemVectors?: { data: Float32Array; dim: number };
  /** Artist per item (−1 unknown) for artist diversity and exposure Gini. */
  itemArtist?: Int32Array;
  /** Number of artists (default: max artist index + 1). */
  nArtists?: number;
  /** Reference lists for serendipity (default: most-popular over training positives; null to skip). */
  serendipityReference?: Ranker | null;
}

export type IntervalMetric = AccuracyMetric | 'serendipity';

export interface EvalAtK {
  k: number;
  precision: Interval;
  recall: Interval;
  recallCapped: Interval;
  map: Interval;
  ndcg: Interval;
  hitRate: Interval;
  mrr: Interval;
  serendipity: Interval | null;
  catalogCoverage: number;
  novelty: number;
  popularityLift: number;
  intraListDiversity: number | null;
  artistDiversity: number | null;
  artistGini: number | null;
}

export interface EvalResult {
  ranker: string;
  ks: number[];
  /** Users averaged over (at least one test item). */
  usersEvaluated: number;
  /** Requested users with no test items (or, by default, users of the matrix without test items). */
  usersExcluded: number;
  catalogSize: number;
  /** Bootstrap settings behind the intervals. */
  confidence: number;
  iterations: number;
  atK: EvalAtK[];
  seconds: { recommend: number; metrics: number; total: number };
}

export interface EvalOutcome {
  result: EvalResult;
  /** The evaluated users (with test items), in list order. */
  users: Int32Array;
  /** users.length × width lists from the ranker. */
  recommendations: Int32Array;
  width: number;
  /** Per-user values aligned with `users`, keyed `${metric}@${k}` (e.g. "ndcg@10"). */
  perUser: Record<string, Float64Array>;
}

/** Evaluate one ranker on one split. */
export function evaluateRanker(ranker: Ranker, split: EvalSplit, opts: EvaluateOptions = {}): EvalOutcome {
  const plan = evaluationPlan(split, opts);
  const t = performance.now();
  const recs = ranker.recommend(plan.users, plan.width, plan.exclude);
  return scoreLists(ranker.name, plan, recs, (performance.now() - t) / 1000, opts);
}

/** `evaluateRanker`, with the lists scored on `threads` pool threads when the ranker can (`Ranker.recommendAsync`). */
export async function evaluateRankerAsync(ranker: Ranker, split: EvalSplit, opts: EvaluateOptions = {}, threads?: number): Promise<EvalOutcome> {
  const plan = evaluationPlan(split, opts);
  const t = performance.now();
  const recs = await recommendLists(ranker, plan.users, plan.width, plan.exclude, threads);
  return scoreLists(ranker.name, plan, recs, (performance.now() - t) / 1000, opts);
}

/** What an evaluation of a split asks of every ranker: the users, the list width and the exclusions. */
interface EvaluationPlan {
  split: EvalSplit;
  ks: number[];
  users: Int32Array;
  usersExcluded: number;
  exclude: RowSets;
  width: number;
}

function evaluationPlan(split: EvalSplit, opts: EvaluateOptions): EvaluationPlan {
  const ks = [...(opts.ks ?? [5, 10, 20, 50])].sort((a, b) => a - b);
  if (ks.length === 0 || ks.some((k) => !(Number.isInteger(k) && k >= 1))) {
    throw new RangeError(`evaluateRanker: ks must be positive integers, got [${ks.join(', ')}]`);
  }
  const { train, test } = split;
  checkSparseRows(test, 'evaluateRanker: split.test');
  if (test.rows !== train.users.size || test.cols !== train.items.size) {
    throw new RangeError(`evaluateRanker: test is ${test.rows}×${test.cols} but train is ${train.users.size}×${train.items.size}`);
  }
  const candidates = split.users ?? usersWithTest(test);
  const users = filterUsersWithTest(candidates, test);
  const usersExcluded = split.users ? candidates.length - users.length : test.rows - users.length;
  return { split, ks, users, usersExcluded, exclude: split.exclude ?? interactionRows(train), width: ks[ks.length - 1] };
}

function scoreLists(name: string, plan: EvaluationPlan, recs: Int32Array, recommendSeconds: number, opts: EvaluateOptions): EvalOutcome {
  const t0 = performance.now();
  const { split, ks, users, usersExcluded, exclude, width } = plan;
  const { train, test } = split;
  checkLists(recs, width, users.length, test.cols, `evaluateRanker: ${name}.recommend output`);
  const boot = { iterations: 1000, confidence: 0.95, seed: 42, ...opts.bootstrap };

  const trainPos = positiveRows(train);
  const itemPop = itemUserCounts(trainPos);
  const reference = opts.serendipityReference === undefined ? mostPopular(trainPos, 'most-popular') : opts.serendipityReference;
  const refLists = reference ? reference.recommend(users, width, exclude) : null;
  const nArtists = opts.itemArtist ? (opts.nArtists ?? maxPlusOne(opts.itemArtist)) : 0;

  // Every metric's per-user values first, so one bootstrap resampling serves them all.
  const perUser: Record<string, Float64Array> = {};
  for (const k of ks) {
    const acc = accuracyAtK(recs, width, users, test, k);
    for (const m of ACCURACY_METRICS) perUser[`${m}@${k}`] = acc.perUser[m];
    if (refLists) perUser[`serendipity@${k}`] = serendipity(recs, width, k, users, test, refLists, width).perList;
  }
  const keys = Object.keys(perUser);
  const intervalList = bootstrapCIs(keys.map((key) => perUser[key]), boot);
  const interval = (key: string): Interval => intervalList[keys.indexOf(key)];

  const atK: EvalAtK[] = ks.map((k) => ({
    k,
    ...(Object.fromEntries(ACCURACY_METRICS.map((m) => [m, interval(`${m}@${k}`)])) as Record<AccuracyMetric, Interval>),
    serendipity: refLists ? interval(`serendipity@${k}`) : null,
    catalogCoverage: catalogCoverage(recs, width, k, test.cols),
    novelty: novelty(recs, width, k, itemPop, Math.max(1, train.users.size)).mean,
    popularityLift: popularityLift(recs, width, k, users, trainPos, itemPop),
    intraListDiversity: opts.itemVectors ? intraListDiversity(recs, width, k, opts.itemVectors.data, opts.itemVectors.dim).mean : null,
    artistDiversity: opts.itemArtist ? artistDiversity(recs, width, k, opts.itemArtist).mean : null,
    artistGini: opts.itemArtist ? artistExposureGini(recs, width, k, opts.itemArtist, nArtists) : null,
  }));
  const metricsSeconds = (performance.now() - t0) / 1000;
  return {
    result: {
      ranker: name,
      ks,
      usersEvaluated: users.length,
      usersExcluded,
      catalogSize: test.cols,
      confidence: boot.confidence,
      iterations: boot.iterations,
      atK,
      seconds: { recommend: recommendSeconds, metrics: metricsSeconds, total: recommendSeconds + metricsSeconds },
    },
    users,
    recommendations: recs,
    width,
    perUser,
  };
}

/** Paired comparison of two outcomes on the same split: a − b for one metric at one K. */
export function compareOutcomes(
  a: EvalOutcome,
  b: EvalOutcome,
  metric: IntervalMetric,
  k: number,
  opts: BootstrapOptions = {},
): PairedResult {
  const key = `${metric}@${k}`;
  const va = a.perUser[key];
  const vb = b.perUser[key];
  if (!va || !vb) throw new RangeError(`compareOutcomes: "${key}" was not computed for both rankers`);
  if (a.users.length !== b.users.length || a.users.some((u, j) => u !== b.users[j])) {
    throw new RangeError('compareOutcomes: the two outcomes were evaluated on different users');
  }
  return pairedComparison(va, vb, opts);
}

function usersWithTest(test: SparseRows): Int32Array {
  const out = new Int32Array(test.rows);
  let n = 0;
  for (let u = 0; u < test.rows; u++) if (test.indptr[u + 1] > test.indptr[u]) out[n++] = u;
  return out.slice(0, n);
}

function filterUsersWithTest(users: Int32Array, test: SparseRows): Int32Array {
  const out = new Int32Array(users.length);
  let n = 0;
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    if (!(u >= 0 && u < test.rows)) throw new RangeError(`evaluateRanker: split.users[${r}] = ${u} out of range [0, ${test.rows})`);
    if (test.indptr[u + 1] > test.indptr[u]) out[n++] = u;
  }
  return out.slice(0, n);
}

function maxPlusOne(a: Int32Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, a[j] + 1);
  return m;
}
