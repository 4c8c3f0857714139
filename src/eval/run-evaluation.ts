/**
 * One evaluation run, as `mixtape evaluate` performs it: load the input, split it by the chosen
 * protocol, train ALS with the run config, evaluate the model and the baselines (global and
 * recent popularity, item-kNN, random; the hybrid when a catalog is given) on the same users with
 * the same candidate rules (heard tracks excluded), measure the re-ranking trade-off, and render
 * the HTML report and the JSON figures.
 */
import { readCatalog } from '../data/catalog.js';
import { buildContentModel } from '../content/content-model.js';
import type { RunConfig } from '../config/run-config.js';
import { rerankOptionsOf, trainOptionsOf } from '../config/run-config.js';
import type { SignalsConfigInput } from '../signals/index.js';
import type { IdDictionary, Interactions } from '../types.js';
import { ItemKnnRanker, mostPopular, RandomRanker, recentPopular } from './baselines.js';
import { compareOutcomes, evaluateRankerAsync, type EvalOutcome, type EvalResult, type EvalSplit } from './evaluate.js';
import { alignContent, HybridRanker } from './hybrid-ranker.js';
import { accuracyAtK, intraListDiversity } from './metrics.js';
import { FactorRanker } from './model-ranker.js';
import type { Ranker } from './ranker.js';
import { renderReport, type ReportData, type ReportExample } from './report.js';
import { factorCandidatesAsync } from './candidates.js';
import { RERANK_POOL, rerankFeatures, rerankSettings } from './rerank-ranker.js';
import { loadRunData, type RunData, type RunDataFlags } from './run-data.js';
import { formatIngestLine, ingestJson, type IngestJson } from '../data/ingest-summary.js';
import { historyRows, trainRunModel } from './run-model.js';
import { blendCandidates, type CandidateBlend } from './blend-candidates.js';
import { blendActive, resolveBlendWeights } from '../content/hybrid-blend.js';
import { makeSplit, type RunSplit, type SplitKind } from './run-split.js';
import { itemUserCounts, positiveRows } from './sparse.js';
import type { PairedResult } from './stats.js';
import { SeededRandom } from './random.js';
import { resolveRerankOptions, type RerankOptions } from '../rerank/options.js';

export interface EvaluationOptions {
  split: SplitKind;
  config?: RunConfig;
  /** Catalog file: adds the hybrid ranker, artist metrics and titles in the examples. */
  catalog?: string;
  /** Cut-offs (default [5, 10, 20, 50]). */
  ks?: number[];
  seed?: number;
  threads?: number;
  /** Bootstrap resamples (default 1000). */
  bootstrapIterations?: number;
  /** Example users in the report (default 3). */
  examples?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface RankerSummary {
  usersEvaluated: number;
  /** `${metric}@${k}` → mean, for every accuracy metric and K. */
  means: Record<string, number>;
}

export interface EvaluationJson {
  dataset: string;
  split: string;
  config: Record<string, string | number | boolean | null>;
  shape: { users: number; items: number; trainEntries: number; testEntries: number };
  /** Full results per ranker: metrics by K with bootstrap intervals. */
  results: EvalResult[];
  summary: Record<string, RankerSummary>;
  /** Baselines that could not run on this input, with the reason. */
  notAvailable: Record<string, string>;
  /** Paired comparisons, the first is ALS vs most-popular on NDCG@20. */
  comparisons: { a: string; b: string; metric: string; k: number; result: PairedResult }[];
  tradeoff: { label: string; lambda: number; exploration: number; ndcg: number; diversity: number }[];
  trainingLoss: { iteration: number; loss: number; seconds: number }[];
  seconds: { load: number; train: number; evaluate: number; total: number };
  /** What reading the input did: rows read and kept, rules that fired, timestamp format. */
  ingest: IngestJson;
}

export interface EvaluationRun {
  json: EvaluationJson;
  html: string;
}

export const MODEL_NAME = 'als';
export const POPULAR_NAME = 'most-popular';

/** Load the input named by the flags and evaluate it. */
export async function runEvaluationFromFlags(flags: RunDataFlags, opts: EvaluationOptions): Promise<EvaluationRun> {
  const t0 = performance.now();
  const data = await loadRunData(flags);
  const load = (performance.now() - t0) / 1000;
  opts.log?.(formatIngestLine(data.ingest));
  const label = [flags.interactions, flags.format, flags.minWeight !== undefined ? `weight ≥ ${flags.minWeight}` : ''].filter(Boolean).join(', ');
  return runEvaluation(data, label, opts, load);
}

export async function runEvaluation(data: RunData, dataset: string, opts: EvaluationOptions, loadSeconds = 0): Promise<EvaluationRun> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const ks = opts.ks ?? [5, 10, 20, 50];
  if (!ks.includes(20)) throw new RangeError('evaluate: the cut-offs must include 20 (the headline NDCG@20)');
  const seed = opts.seed ?? 42;
  const config = opts.config ?? {};
  const trainOpts = { ...trainOptionsOf(config), ...(opts.threads ? { threads: opts.threads } : {}) };
  const split = await makeSplit(data, { kind: opts.split, seed, signals: config.signals as SignalsConfigInput | undefined });
  log(`split: ${split.description}`);
  const few = fewTestUsers(split, data.kind);
  if (few) log(few);

  const trained = await trainRunModel(split, trainOpts);
  log(`trained ALS (${trained.factors} factors) in ${trained.seconds.toFixed(1)} s`);
  const tEval = performance.now();
  const trainPos = positiveRows(split.train);
  const popularity = itemUserCounts(trainPos);
  const history = historyRows(split);

  const catalog = opts.catalog ? await readCatalog(opts.catalog) : undefined;
  const content = catalog ? alignContent(buildContentModel(catalog), data.items) : undefined;
  const itemArtist = catalog ? alignArtists(catalog.tracks, catalog.trackArtist, data.items) : undefined;
  const vectors = content && content.matched > 0 ? { data: content.data, dim: content.dim } : { data: trained.itemFactors, dim: trained.factors };

  const notAvailable: Record<string, string> = {};
  const rankers: Ranker[] = [new FactorRanker(MODEL_NAME, trained.userFactors, trained.itemFactors, trained.factors)];
  if (content) rankers.push(new HybridRanker('als+content', trained.userFactors, trained.itemFactors, trained.factors, content, history, config.hybrid ?? {}));
  else notAvailable['als+content'] = 'not available: no --catalog given';
  rankers.push(mostPopular(trainPos, POPULAR_NAME));
  if (split.recent) rankers.push(recentPopular(split.recent.user, split.recent.item, split.recent.time, data.users.size, data.items.size, { asOf: split.recent.asOf, name: 'recent-popular' }));
  else notAvailable['recent-popular'] = split.recentNote;
  // Unseen test users' fold-in histories feed item-kNN the way they feed the ALS fold-in.
  rankers.push(await ItemKnnRanker.fit(history, { neighbours: 100, name: 'item-knn', ...(opts.threads ? { threads: opts.threads } : {}) }));
  rankers.push(new RandomRanker(data.items.size, seed));

  const evalSplit: EvalSplit = { train: split.train, test: split.test, ...(split.users ? { users: split.users } : {}), ...(split.exclude ? { exclude: split.exclude } : {}) };
  const evalOpts = {
    ks,
    bootstrap: { iterations: opts.bootstrapIterations ?? 1000, seed },
    itemVectors: vectors,
    ...(itemArtist ? { itemArtist } : {}),
  };
  const outcomes: EvalOutcome[] = [];
  for (const r of rankers) {
    outcomes.push(await evaluateRankerAsync(r, evalSplit, evalOpts, opts.threads));
    const at20 = outcomes[outcomes.length - 1].result.atK.find((a) => a.k === 20)!;
    log(`${r.name}: NDCG@20 ${at20.ndcg.mean.toFixed(4)}`);
  }
  const byName = (n: string) => outcomes.find((o) => o.result.ranker === n);
  const comparisons: EvaluationJson['comparisons'] = [];
  for (const other of [POPULAR_NAME, 'item-knn']) {
    const b = byName(other);
    if (b) comparisons.push({ a: MODEL_NAME, b: other, metric: 'ndcg', k: 20, result: compareOutcomes(outcomes[0], b, 'ndcg', 20, { iterations: opts.bootstrapIterations ?? 1000, seed }) });
  }

  const features = rerankFeatures({ itemFactors: trained.itemFactors, factors: trained.factors, popularity, ...(itemArtist ? { artist: itemArtist } : {}), ...(content && content.matched > 0 ? { diversity: vectors } : {}) });
  const weights = resolveBlendWeights(config.hybrid, 'run config: hybrid');
  const blend = content && blendActive(weights) ? { content, history, weights } : undefined;
  const tradeoff = await measureTradeoff(outcomes[0].users, evalSplit, split, trained, features, vectors, config, blend, opts.threads);

  const examples = exampleUsers(outcomes[0], split, history, data, catalog, opts.examples ?? 3, seed);
  const total = (performance.now() - t0) / 1000 + loadSeconds;
  const cfg = configRows(dataset, split, trained, config, opts, content?.matched);
  const json: EvaluationJson = {
    dataset,
    split: split.description,
    config: cfg,
    shape: { users: data.users.size, items: data.items.size, trainEntries: split.train.indices.length, testEntries: split.test.indptr[split.test.rows] },
    results: outcomes.map((o) => o.result),
    summary: Object.fromEntries(outcomes.map((o) => [o.result.ranker, summarise(o.result)])),
    notAvailable,
    comparisons,
    tradeoff,
    trainingLoss: trained.loss,
    seconds: { load: loadSeconds, train: trained.seconds, evaluate: (performance.now() - tEval) / 1000, total },
    ingest: ingestJson(data.ingest),
  };
  const report: ReportData = {
    title: `mixtape evaluation — ${dataset}`,
    generatedAt: new Date().toISOString(),
    config: { ...cfg, input: formatIngestLine(data.ingest), ...Object.fromEntries(Object.entries(notAvailable).map(([k, v]) => [`baseline ${k}`, v])) },
    metrics: json.results,
    model: MODEL_NAME,
    comparisons,
    popularity: { itemPopularity: popularity, recommended: outcomes.map((o) => ({ name: o.result.ranker, items: firstSlots(o, 20) })) },
    trainingLoss: trained.loss,
    tradeoff: tradeoff.map((t) => ({ label: t.label, ndcg: t.ndcg, diversity: t.diversity })),
    examples,
  };
  return { json, html: renderReport(report) };
}

/** Below this many users with test items the figures' intervals are too wide to tell rankers apart. */
const FEW_TEST_USERS = 100;

/** A warning when few users have test items (a next-week split of a log few use in its last week), else undefined. */
export function fewTestUsers(split: Pick<RunSplit, 'kind' | 'test' | 'users'>, data: RunData['kind']): string | undefined {
  let n = split.users?.length ?? 0;
  if (!split.users) for (let u = 0; u < split.test.rows; u++) if (split.test.indptr[u + 1] > split.test.indptr[u]) n++;
  if (n >= FEW_TEST_USERS) return undefined;
  const hint =
    split.kind === 'temporal' && data === 'events'
      ? ': few listeners are active in the week after the cut (in a ratings log, say); read it as counts with --time-col, where --split temporal holds out each user\'s latest 20%'
      : '';
  return `warning: only ${n} users have test items, too few for the figures to tell rankers apart${hint}`;
}

function summarise(r: EvalResult): RankerSummary {
  const means: Record<string, number> = {};
  for (const a of r.atK) for (const m of ['precision', 'recall', 'map', 'ndcg', 'hitRate', 'mrr'] as const) means[`${m}@${a.k}`] = a[m].mean;
  return { usersEvaluated: r.usersEvaluated, means };
}

/** The re-ranking settings of the trade-off chart, plus the config's own when it sets one. */
export function tradeoffSettings(config: RunConfig): { label: string; options: RerankOptions }[] {
  const list: { label: string; options: RerankOptions }[] = [
    { label: 'top-K (no rerank)', options: { lambda: 1, explorationShare: 0, popularityPenalty: 0, artistCap: 1 << 20 } },
    { label: 'λ0.9 e0', options: { lambda: 0.9, explorationShare: 0 } },
    { label: 'λ0.7 e0.2', options: { lambda: 0.7, explorationShare: 0.2 } },
    { label: 'λ0.5 e0.2', options: { lambda: 0.5, explorationShare: 0.2 } },
    { label: 'λ0.3 e0.3', options: { lambda: 0.3, explorationShare: 0.3 } },
  ];
  const r = config.rerank;
  if (r && (r.lambda !== undefined || r.exploration !== undefined || r.artistCap !== undefined)) {
    const options = rerankOptionsOf(config);
    const e = resolveRerankOptions({ ...options, asOf: 0 });
    list.push({ label: `config λ${e.lambda} e${e.explorationShare}`, options });
  }
  return list;
}


async function measureTradeoff(
  users: Int32Array,
  evalSplit: EvalSplit,
  split: RunSplit,
  trained: Awaited<ReturnType<typeof trainRunModel>>,
  features: ReturnType<typeof rerankFeatures>,
  vectors: { data: Float32Array; dim: number },
  config: RunConfig,
  blend: CandidateBlend | undefined,
  threads?: number,
): Promise<EvaluationJson['tradeoff']> {
  const k = 20;
  const exclude = evalSplit.exclude ?? split.train;
  // Every setting re-ranks the same candidates: score them once, then re-rank the settings side by side.
  const cand = await factorCandidatesAsync(trained.userFactors, trained.itemFactors, trained.factors, users, Math.max(RERANK_POOL, k), exclude, threads);
  // With a content weight in the config, the settings re-rank blended candidates, as the weekly job does.
  if (blend) blendCandidates(cand, users, blend);
  const settings = tradeoffSettings(config);
  const lists = await rerankSettings(cand, users, k, features, settings.map((s) => s.options), threads);
  return settings.map(({ label, options }, i) => {
    const e = resolveRerankOptions({ ...options, asOf: 0 });
    return {
      label,
      lambda: e.lambda,
      exploration: e.explorationShare,
      ndcg: accuracyAtK(lists[i], k, users, split.test, k).mean.ndcg,
      diversity: intraListDiversity(lists[i], k, k, vectors.data, vectors.dim).mean,
    };
  });
}

function firstSlots(o: EvalOutcome, k: number): Int32Array {
  const rows = o.users.length;
  const out = new Int32Array(rows * k);
  for (let r = 0; r < rows; r++) out.set(o.recommendations.subarray(r * o.width, r * o.width + k), r * k);
  return out;
}

function configRows(
  dataset: string,
  split: RunSplit,
  trained: Awaited<ReturnType<typeof trainRunModel>>,
  config: RunConfig,
  opts: EvaluationOptions,
  catalogMatched: number | undefined,
): Record<string, string | number | boolean | null> {
  const p = trained.model.params;
  return {
    dataset,
    split: split.description,
    'candidate rule': 'tracks in the user history (training or fold-in) are never recommended',
    factors: p.factors,
    iterations: p.iterations,
    regularization: p.regularization,
    alpha: p.alpha,
    confidence: p.confidence,
    epsilon: p.epsilon,
    solver: p.solver,
    cgSteps: p.cgSteps,
    seed: p.seed,
    'signals overrides': config.signals ? JSON.stringify(config.signals) : null,
    'hybrid weights': config.hybrid ? JSON.stringify(config.hybrid) : null,
    'rerank knobs': config.rerank ? JSON.stringify(config.rerank) : null,
    catalog: opts.catalog ? `${opts.catalog} (${catalogMatched ?? 0} items matched)` : null,
    'diversity vectors': catalogMatched ? 'catalog content vectors' : 'ALS item factors',
    'bootstrap resamples': opts.bootstrapIterations ?? 1000,
    'training seconds': Number(trained.seconds.toFixed(2)),
  };
}

function alignArtists(tracks: IdDictionary, trackArtist: Int32Array, items: IdDictionary): Int32Array {
  const out = new Int32Array(items.size).fill(-1);
  for (let i = 0; i < items.size; i++) {
    const t = tracks.get(items.ids[i]);
    if (t !== undefined) out[i] = trackArtist[t];
  }
  return out;
}

/** A few seeded evaluated users: their heaviest history entries next to the model's top 10. */
function exampleUsers(
  model: EvalOutcome,
  split: RunSplit,
  history: Interactions,
  data: RunData,
  catalog: Awaited<ReturnType<typeof readCatalog>> | undefined,
  count: number,
  seed: number,
): ReportExample[] {
  const rng = new SeededRandom(seed);
  const picked = new Set<number>();
  const n = Math.min(count, model.users.length);
  while (picked.size < n) picked.add(rng.nextInt(model.users.length));
  const name = (i: number) => {
    const id = data.items.ids[i];
    const t = catalog?.tracks.get(id);
    if (catalog && t !== undefined) {
      const a = catalog.trackArtist[t];
      return { title: catalog.titles[t] || id, ...(a >= 0 ? { artist: catalog.artistNames[a] || catalog.artists.ids[a] } : {}) };
    }
    return { title: id };
  };
  return [...picked].sort((a, b) => a - b).map((r) => {
    const u = model.users[r];
    const rows: number[] = [];
    for (let p = history.indptr[u]; p < history.indptr[u + 1]; p++) if (history.pref[p] > 0) rows.push(p);
    rows.sort((a, b) => history.weight[b] - history.weight[a]);
    const test = new Set(Array.from(split.test.indices.subarray(split.test.indptr[u], split.test.indptr[u + 1])));
    const recs = Array.from(model.recommendations.subarray(r * model.width, r * model.width + 10)).filter((i) => i >= 0);
    return {
      user: `user ${data.users.ids[u]} (${rows.length} history entries, ${test.size} held out)`,
      history: rows.slice(0, 10).map((p) => ({ ...name(history.indices[p]), detail: `weight ${Number(history.weight[p].toPrecision(4))}` })),
      playlist: recs.map((i) => ({ ...name(i), ...(test.has(i) ? { detail: '✓ held out' } : {}) })),
    };
  });
}
