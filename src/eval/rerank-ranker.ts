/**
 * The production re-ranking stage as an evaluation Ranker: exact top-C candidates from the
 * factors, the hybrid blend when content is weighted (as the weekly job's), then the Reranker
 * (popularity debiasing, MMR diversity, artist cap, exploration slots) cuts each user's list to
 * K. Evaluating a few settings gives the accuracy–diversity trade-off.
 */
import { Reranker, allocSlots } from '../rerank/reranker.js';
import type { ItemFeatures } from '../rerank/item-features.js';
import { unitRows } from '../rerank/item-features.js';
import type { RerankOptions } from '../rerank/options.js';
import { factorCandidates, factorCandidatesAsync, type CandidateBlock } from './candidates.js';
import { checkRecommendArgs, type Ranker } from './ranker.js';
import type { RerankTask } from './rerank-worker.js';
import { shareFeatures } from '../playlist/shared.js';
import { toShared } from '../util/shared-memory.js';
import { createWorkerPool, defaultThreads } from '../util/worker-pool.js';
import type { RowSets } from './sparse.js';
import { blendCandidates, type CandidateBlend } from './blend-candidates.js';

export interface RerankFeaturesInput {
  itemFactors: Float32Array;
  factors: number;
  /** Training popularity per item (distinct users). */
  popularity: ArrayLike<number>;
  /** Artist per item, −1 unknown (default: all unknown, so no artist cap applies). */
  artist?: Int32Array;
  /** Vectors for the diversity term (default: the item factors), unit-scaled here. */
  diversity?: { data: Float32Array; dim: number };
}

export function rerankFeatures(o: RerankFeaturesInput): ItemFeatures {
  const items = o.itemFactors.length / o.factors;
  const artist = o.artist ?? new Int32Array(items).fill(-1);
  let artists = 0;
  for (let i = 0; i < items; i++) artists = Math.max(artists, artist[i] + 1);
  const unit = unitRows(o.itemFactors, o.factors);
  return {
    artist,
    artists,
    popularity: Float32Array.from(o.popularity),
    unitFactors: unit,
    factors: o.factors,
    diversity: o.diversity ? unitRows(o.diversity.data, o.diversity.dim) : unit,
    diversityDim: o.diversity ? o.diversity.dim : o.factors,
  };
}

/** Candidates per user handed to the re-ranker by default. */
export const RERANK_POOL = 150;

export class RerankRanker implements Ranker {
  constructor(
    readonly name: string,
    private readonly userFactors: Float32Array,
    private readonly itemFactors: Float32Array,
    private readonly factors: number,
    private readonly features: ItemFeatures,
    private readonly options: RerankOptions,
    /** Candidates per user handed to the re-ranker. */
    private readonly pool = RERANK_POOL,
    /** The hybrid stage between retrieval and re-ranking (absent: CF scores as retrieved). */
    private readonly blend?: CandidateBlend,
  ) {}

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    checkRecommendArgs(this.name, users, k, exclude);
    if (k === 0 || users.length === 0) return new Int32Array(users.length * k).fill(-1);
    const cand = factorCandidates(this.userFactors, this.itemFactors, this.factors, users, Math.max(this.pool, k), exclude);
    if (this.blend) blendCandidates(cand, users, this.blend);
    return rerankCandidates(cand, users, k, this.features, this.options);
  }

  /** The candidates scored on the libuv thread pool; the re-ranking stays on this thread. */
  async recommendAsync(users: Int32Array, k: number, exclude: RowSets, threads?: number): Promise<Int32Array> {
    checkRecommendArgs(this.name, users, k, exclude);
    if (k === 0 || users.length === 0) return new Int32Array(users.length * k).fill(-1);
    const cand = await factorCandidatesAsync(this.userFactors, this.itemFactors, this.factors, users, Math.max(this.pool, k), exclude, threads);
    if (this.blend) blendCandidates(cand, users, this.blend);
    return rerankCandidates(cand, users, k, this.features, this.options);
  }
}

/**
 * Each user's candidates (row r of `cand` belongs to users[r]) cut to k by the re-ranker, as
 * users.length × k, −1 padded. Settings compared on the same users can share one scoring.
 */
export function rerankCandidates(cand: CandidateBlock, users: Int32Array, k: number, features: ItemFeatures, options: RerankOptions): Int32Array {
  const out = new Int32Array(users.length * k).fill(-1);
  const width = cand.width;
  if (k === 0 || users.length === 0) return out;
  if (width < k) throw new RangeError(`rerankCandidates: ${width} candidates per user, fewer than k = ${k}`);
  const reranker = new Reranker(features, { asOf: 0, ...options, size: k, mmrPool: width }, width);
  const slots = allocSlots(1, k);
  const none = new Int32Array(0);
  for (let r = 0; r < users.length; r++) {
    reranker.rerank(cand.items.subarray(r * width, (r + 1) * width), cand.scores.subarray(r * width, (r + 1) * width), none, users[r], slots, 0);
    out.set(slots.items.subarray(0, k), r * k);
  }
  return out;
}

/**
 * `rerankCandidates` for several settings at once, one pool thread per setting at a time (the
 * accuracy–diversity chart); candidates and features go to the threads in shared memory.
 */
export async function rerankSettings(
  cand: CandidateBlock,
  users: Int32Array,
  k: number,
  features: ItemFeatures,
  settings: readonly RerankOptions[],
  threads = defaultThreads(),
): Promise<Int32Array[]> {
  const shared = {
    cand: { items: toShared(cand.items), scores: toShared(cand.scores), width: cand.width },
    users: toShared(users),
    k,
    features: shareFeatures(features),
  };
  const pool = createWorkerPool(import.meta.url, 'rerank-worker', Math.max(1, Math.min(threads, settings.length)));
  try {
    return (await Promise.all(settings.map((options) => pool.run({ ...shared, options } satisfies RerankTask)))) as Int32Array[];
  } finally {
    await pool.destroy();
  }
}
