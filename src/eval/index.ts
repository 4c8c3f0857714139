/** Offline evaluation: splits, metrics, statistics, baselines, the driver and the HTML report. */
export * from './split.js';
export * from './metrics.js';
export * from './stats.js';
export * from './baselines.js';
export * from './evaluate.js';
export * from './report.js';
export { interactionRows, itemUserCounts, positiveRows } from './sparse.js';
export type { RowSets, SparseRows } from './sparse.js';
export type { RecLists } from './lists.js';
export { SeededRandom } from './random.js';
export { FactorRanker } from './model-ranker.js';
