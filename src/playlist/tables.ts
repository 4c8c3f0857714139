/**
 * Everything the weekly job reads, as flat typed arrays indexed by model user / track index. The
 * job puts them in SharedArrayBuffers once, and every worker task carries only these views plus a
 * user range, so nothing large is copied per shard.
 */
import type { ArtistRows, UserRows } from '../retrieve/exclusion-rows.js';
import type { ResolvedBlendWeights } from '../content/hybrid-blend.js';
import type { ItemFeatures } from '../rerank/item-features.js';
import type { RerankOptions } from '../rerank/options.js';
import type { FoldInParams, WeightedRows } from './refresh.js';

export interface PlaylistTables {
  factors: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** YᵀY of the item factors (fold-in of users with recent events). */
  itemGram: Float32Array;
  params: FoldInParams;
  /** Training interactions: everything here counts as heard. */
  seen: WeightedRows;
  /** Recent interactions (the --events file) in model index space; heard as well. */
  recent?: WeightedRows;
  /** Disliked tracks per user. */
  dislikedTracks?: UserRows;
  /** Disliked artists per user, with each artist's tracks. */
  dislikedArtists?: ArtistRows;
  /** Tracks of the user's last weekly playlists. */
  archive?: UserRows;
  features: ItemFeatures;
  /**
   * The query of a listener without taste evidence (no track left positive in their history):
   * the mean of the model's listeners' factors (model/average-taste.ts). Absent: such listeners
   * are scored with their own (zero) factors, which rank every track alike.
   */
  averageTaste?: Float32Array;
  /**
   * Unit content vectors aligned with the model's tracks (the hybrid stage's track side), when
   * the model carries a content model; the same array as `features.diversity` then.
   */
  content?: { unit: Float32Array; dim: number };
}

export type RetrievalMode = 'exact' | 'hnsw';

/**
 * Candidates retrieved per user by default. Measured against C = 500: on a generated world the
 * planted satisfaction, diversity, artists and popularity of the re-ranked playlists stay within
 * 0.1 points (test/playlist/generated-world.test.ts); on ALS-like factors over 200,000 tracks 88%
 * of the playlist is the same tracks with popularity within 2% (bench/weekly.ts --quality), while
 * retrieval and re-ranking get cheaper. Below 200 the playlists drift toward popular tracks.
 */
export const DEFAULT_CANDIDATES = 200;

export interface ShardSettings {
  /** Candidates retrieved per user (C). */
  candidates: number;
  rerank: RerankOptions;
  /** Seeds the discovery draw together with the user index (see week.ts weekKey). */
  weekKey: number;
  /** History tracks considered for reasons (most weighted first). */
  historySize: number;
  retrieval: RetrievalMode;
  /** Model directory holding the HNSW index (retrieval 'hnsw'). */
  indexDir?: string;
  ef?: number;
  /** Re-solve the factors of users with recent events before retrieval (default true). */
  foldInRecent: boolean;
  /**
   * The hybrid stage between retrieval and re-ranking: candidates rescored by CF and the
   * similarity of their content to the user's history (content/hybrid-blend.ts). Absent or a
   * content weight of 0: the CF scores as retrieved. A content weight needs `tables.content`.
   */
  hybrid?: ResolvedBlendWeights;
}
