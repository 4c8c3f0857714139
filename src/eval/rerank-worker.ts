/** Pool thread of the re-ranking trade-off: one setting's lists over shared candidates and features. */
import type { ItemFeatures } from '../rerank/item-features.js';
import type { RerankOptions } from '../rerank/options.js';
import type { CandidateBlock } from './candidates.js';
import { rerankCandidates } from './rerank-ranker.js';

export interface RerankTask {
  cand: CandidateBlock;
  users: Int32Array;
  k: number;
  features: ItemFeatures;
  options: RerankOptions;
}

export default function run(t: RerankTask): Int32Array {
  return rerankCandidates(t.cand, t.users, t.k, t.features, t.options);
}
