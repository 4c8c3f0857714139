/** Content signals and the hybrid model: content vectors, the content → factor map, cold start. */
export { buildContentModel, ContentModel, embedCatalog, normalizeRows } from './content-model.js';
export type { ContentLayout, ContentModelData, ContentOptions, ContentParams } from './content-model.js';
export { blendFactors, fitFactorMap, predictFactors } from './factor-map.js';
export type { BlendedFactors, BlendInput, FactorMap, FactorMapOptions } from './factor-map.js';
export { alignTracks, catalogFactors, itemListeners } from './model-factors.js';
export type { CatalogFactors } from './model-factors.js';
export { HybridScorer } from './hybrid.js';
export type { HybridScorerInit, HybridWeights, ScoredList } from './hybrid.js';
export { coldStartContext, coldStartRecommend } from './cold-start.js';
export type { ColdStartContext, ColdStartOptions, ColdStartRequest, ColdStartResult } from './cold-start.js';
export { contentCosine, cosineRows, similarByContent } from './similarity.js';
export { fitStandardizer, standardize } from './standardize.js';
export type { Standardizer } from './standardize.js';
export { fitIdf, tfidfRows } from './tfidf.js';
export { project, randomizedSvd } from './rsvd.js';
export type { TruncatedSvd } from './rsvd.js';
