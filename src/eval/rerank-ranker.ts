/**
 * The production re-ranking stage for evaluation: on a block of exact top-C candidates from the
 * factors (blended with content first when the config weighs it, eval/blend-candidates.ts), the
 * Reranker (popularity debiasing, MMR diversity, artist cap, exploration slots) cuts each user's
 * list to K. Evaluating a few settings gives the accuracy–diversity trade-off.
 */
import { Reranker, allocSlots } from '../rerank/reranker.js';
import type { ItemFeatures } from '../rerank/item-features.js';
import { unitRows } from '../rerank/item-features.js';
import type { RerankOptions } from '../rerank/options.js';
import type { CandidateBlock } from './candidates.js';
import type { RerankTask } from './rerank-worker.js';
import { shareFeatures } from '../playlist/shared.js';
import { toShared } from '../util/shared-memory.js';
import { createWorkerPool, defaultThreads } from '../util/worker-pool.js';

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
 * Re-ranks one candidate block under many settings, one pool thread per setting at a time (the
 * accuracy–diversity chart, tune's re-ranking stage); the candidates and features go to shared
 * memory once, however many batches of settings follow.
 */
export class RerankSettingsPool {
  private readonly shared: Omit<RerankTask, 'options'>;
  private readonly pool: ReturnType<typeof createWorkerPool>;

  constructor(cand: CandidateBlock, users: Int32Array, k: number, features: ItemFeatures, threads = defaultThreads()) {
    this.shared = {
      cand: { items: toShared(cand.items), scores: toShared(cand.scores), width: cand.width },
      users: toShared(users),
      k,
      features: shareFeatures(features),
    };
    this.pool = createWorkerPool(import.meta.url, 'rerank-worker', threads);
  }

  /** Each setting's lists (users.length × k, −1 padded), in the order given. */
  async run(settings: readonly RerankOptions[]): Promise<Int32Array[]> {
    return (await Promise.all(settings.map((options) => this.pool.run({ ...this.shared, options } satisfies RerankTask)))) as Int32Array[];
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

/** `rerankCandidates` for several settings at once, on a pool of its own. */
export async function rerankSettings(
  cand: CandidateBlock,
  users: Int32Array,
  k: number,
  features: ItemFeatures,
  settings: readonly RerankOptions[],
  threads = defaultThreads(),
): Promise<Int32Array[]> {
  const pool = new RerankSettingsPool(cand, users, k, features, Math.max(1, Math.min(threads, settings.length)));
  try {
    return await pool.run(settings);
  } finally {
    await pool.destroy();
  }
}
