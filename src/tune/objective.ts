/**
 * What a trial measures: NDCG@20 of a configuration on a split (the validation split while
 * searching, the test split once at the end), with the same candidate rules as `mixtape evaluate`.
 */
import type { HybridParams, RerankParams, RunConfig } from '../config/run-config.js';
import { rerankOptionsOf, trainOptionsOf } from '../config/run-config.js';
import { evaluationBlendWeights, HYBRID_POOL, HybridRanker } from '../eval/hybrid-ranker.js';
import { accuracyAtK, intraListDiversity } from '../eval/metrics.js';
import { FactorRanker } from '../eval/model-ranker.js';
import { recommendLists, type Ranker } from '../eval/ranker.js';
import { RERANK_POOL, rerankFeatures, RerankSettingsPool } from '../eval/rerank-ranker.js';
import { blendActive, resolveBlendWeights } from '../content/hybrid-blend.js';
import { blendCandidates } from '../eval/blend-candidates.js';
import { bestOfRows, factorCandidatesAsync, type CandidateBlock } from '../eval/candidates.js';
import { defaultThreads } from '../util/worker-pool.js';
import { historyRows, trainRunModel, type TrainedRunModel } from '../eval/run-model.js';
import type { RunSplit } from '../eval/run-split.js';
import { itemUserCounts, positiveRows } from '../eval/sparse.js';
import type { Interactions } from '../types.js';

export const K = 20;

export interface SplitScore {
  ndcg: number;
  diversity: number;
}

export function evaluatedUsers(split: RunSplit): Int32Array {
  if (split.users) return split.users;
  const out: number[] = [];
  for (let u = 0; u < split.test.rows; u++) if (split.test.indptr[u + 1] > split.test.indptr[u]) out.push(u);
  return Int32Array.from(out);
}

/** NDCG@20 and ILD@20 of a ranker's lists on a split (scored on the thread pool when the ranker can). */
export async function scoreRanker(ranker: Ranker, split: RunSplit, vectors: { data: Float32Array; dim: number }, threads?: number): Promise<SplitScore> {
  const users = evaluatedUsers(split);
  const lists = await recommendLists(ranker, users, K, split.exclude ?? split.train, threads);
  return { ndcg: accuracyAtK(lists, K, users, split.test, K).mean.ndcg, diversity: intraListDiversity(lists, K, K, vectors.data, vectors.dim).mean };
}

export async function trainFor(split: RunSplit, config: RunConfig, threads?: number): Promise<TrainedRunModel> {
  return trainRunModel(split, { ...trainOptionsOf(config), ...(threads ? { threads } : {}) }, false);
}

export interface Scorers {
  content?: { data: Float32Array; dim: number };
  artist?: Int32Array;
}

/** The config's CF or hybrid ranker on a trained model (re-ranking settings go through RerankStage). */
export function pipelineRanker(trained: TrainedRunModel, split: RunSplit, config: RunConfig, s: Scorers, stage: 'cf' | 'content'): { ranker: Ranker; vectors: { data: Float32Array; dim: number } } {
  const vectors = s.content ?? { data: trained.itemFactors, dim: trained.factors };
  if (stage === 'content' && s.content) {
    return { ranker: new HybridRanker('hybrid', trained.userFactors, trained.itemFactors, trained.factors, s.content, historyRows(split), config.hybrid ?? {}), vectors };
  }
  return { ranker: new FactorRanker('als', trained.userFactors, trained.itemFactors, trained.factors), vectors };
}

/**
 * What every content-weight trial shares: the evaluated users' CF candidates from the trained
 * model, scored once on the pool; each weight blends a copy and keeps each user's best K, as the
 * hybrid ranker would (the same candidates, blend and cut).
 */
export class ContentStage {
  private constructor(
    private readonly split: RunSplit,
    private readonly users: Int32Array,
    private readonly cand: CandidateBlock,
    private readonly content: { data: Float32Array; dim: number },
    private readonly history: Interactions,
  ) {}

  static async open(trained: TrainedRunModel, split: RunSplit, content: { data: Float32Array; dim: number }, threads = defaultThreads()): Promise<ContentStage> {
    const users = evaluatedUsers(split);
    const cand = await factorCandidatesAsync(trained.userFactors, trained.itemFactors, trained.factors, users, Math.max(HYBRID_POOL, K), split.exclude ?? split.train, threads);
    return new ContentStage(split, users, cand, content, historyRows(split));
  }

  /** NDCG@20 and ILD@20 (over the content vectors) of the hybrid with these weights. */
  score(hybrid: HybridParams): SplitScore {
    const weights = evaluationBlendWeights(hybrid);
    const cand = { ...this.cand, scores: this.cand.scores.slice() };
    if (blendActive(weights)) blendCandidates(cand, this.users, { content: this.content, history: this.history, weights });
    const lists = bestOfRows(cand, K);
    return { ndcg: accuracyAtK(lists, K, this.users, this.split.test, K).mean.ndcg, diversity: intraListDiversity(lists, K, K, this.content.data, this.content.dim).mean };
  }
}

/**
 * What every re-ranking trial shares: the evaluated users' candidates from the trained model
 * (blended with content when the config weighs it, as the weekly job does) and the item features,
 * computed once, and a pool that re-ranks them under one setting per thread.
 */
export class RerankStage {
  private constructor(
    private readonly split: RunSplit,
    private readonly users: Int32Array,
    private readonly vectors: { data: Float32Array; dim: number },
    private readonly pool: RerankSettingsPool,
  ) {}

  static async open(trained: TrainedRunModel, split: RunSplit, config: RunConfig, s: Scorers, threads = defaultThreads()): Promise<RerankStage> {
    const vectors = s.content ?? { data: trained.itemFactors, dim: trained.factors };
    const features = rerankFeatures({
      itemFactors: trained.itemFactors,
      factors: trained.factors,
      popularity: itemUserCounts(positiveRows(split.train)),
      ...(s.artist ? { artist: s.artist } : {}),
      ...(s.content ? { diversity: s.content } : {}),
    });
    const users = evaluatedUsers(split);
    const cand = await factorCandidatesAsync(trained.userFactors, trained.itemFactors, trained.factors, users, Math.max(RERANK_POOL, K), split.exclude ?? split.train, threads);
    const weights = resolveBlendWeights(config.hybrid);
    if (s.content && blendActive(weights)) blendCandidates(cand, users, { content: s.content, history: historyRows(split), weights });
    return new RerankStage(split, users, vectors, new RerankSettingsPool(cand, users, K, features, threads));
  }

  /** NDCG@20 and ILD@20 of each setting, side by side on the pool. */
  async score(settings: readonly RerankParams[]): Promise<SplitScore[]> {
    const lists = await this.pool.run(settings.map((rerank) => rerankOptionsOf({ rerank })));
    return lists.map((l) => ({ ndcg: accuracyAtK(l, K, this.users, this.split.test, K).mean.ndcg, diversity: intraListDiversity(l, K, K, this.vectors.data, this.vectors.dim).mean }));
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
