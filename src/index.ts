/**
 * mixtape — weekly discovery playlists from listening logs.
 *
 * The public module API. Typical use:
 *
 *   const counts = await readCounts('plays.csv');
 *   const model = await train(countsToInteractions(counts), { factors: 64 });
 *   await model.save('model/');
 *   const recs = await (await Model.load('model/')).recommend('user-1', { n: 20 });
 */
export type * from './types.js';
export { EVENT_KINDS, EVENT_CODE } from './types.js';
export { train } from './train/train.js';
export { Model } from './model/model.js';
export type { RecommendOptions, RecommendAllOptions, UserRecommendations, HistoryEntry } from './model/model.js';
export type { ModelParams } from './model/model-data.js';
export { Dictionary } from './data/dictionary.js';
export { nativeInfo } from './native/index.js';
