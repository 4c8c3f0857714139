/**
 * mixtape — weekly discovery playlists from listening logs.
 *
 * The public module API. Typical use:
 *
 *   const counts = await readCounts('plays.csv');
 *   const model = await train(await countsToInteractionsAsync(counts), { factors: 64 });
 *   await model.save('model/');
 *   const recs = await (await Model.load('model/')).recommend('user-1', { n: 20 });
 */
export type * from './types.js';
export { EVENT_KINDS, EVENT_CODE } from './types.js';

// Training and the model.
export { train } from './train/train.js';
export { Model, CONTENT_FILE } from './model/model.js';
export type { RecommendOptions, RecommendAllOptions, UserRecommendations, RecommendationBlock, HistoryEntry } from './model/model.js';
export type { ModelParams, ModelData } from './model/model-data.js';

// Ingest.
export { Dictionary } from './data/dictionary.js';
export { readCounts, readEvents, readEventRecords, countsToInteractions, countsToInteractionsAsync, writeEventsCsv, writeEventsParquet } from './data/index.js';
export type { Counts, ReadCountsOptions, ReadEventsOptions, EventRecord, ReadRecordsOptions, IngestReport, WriteParquetOptions, ParquetCompression } from './data/index.js';
export { readCatalog } from './data/catalog.js';
export type { Catalog } from './data/catalog.js';

// Signals.
export { computeSignals, loadSignalsConfig, defaultSignalsConfig, formatSignalsSummary, SIGNALS_STEPS } from './signals/index.js';
export { computeSignalsAsync } from './signals/off-thread.js';
export type { SignalsConfig, SignalsConfigInput, SignalsReport, Exclusions, SignalsOptions, SignalsProgress } from './signals/index.js';

// Content and cold start.
export { withCatalogTracks, attachContent } from './content/attach.js';
export { onboardingContext, recommendOnboarding } from './content/onboarding.js';
export { ContentModel, HybridScorer, coldStartRecommend } from './content/index.js';
export type { HybridWeights } from './content/index.js';

// Run configs (what `mixtape tune` writes): training options and the playlists' settings.
export { loadRunConfig, parseRunConfig, trainOptionsOf, weeklyOptionsOf } from './config/run-config.js';
export type { RunConfig } from './config/run-config.js';

// The weekly job.
export { weeklyPlaylist, runWeeklyJob, trackMetaFromCatalog, trackMetaFromContent, trackMetaFromEvents, isoWeek } from './playlist/index.js';
export type { PlaylistRow, RecentEntry, ListenEvent, WeeklyPlaylistOptions, WeeklyJobOptions, WeeklyJobSummary, TrackMeta } from './playlist/index.js';

// The synthetic world generator.
export { generateWorld, writeWorld, worldToEventLog, expectedFullPlayRate } from './generate/index.js';
export type { GenerateOptions, World, Truth } from './generate/index.js';

// Native core information (SIMD level, BLAS).
export { nativeInfo } from './native/index.js';
export { ModelHandle } from './model/model-handle.js';
