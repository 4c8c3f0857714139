/** The weekly playlist stage: the job over all users, the one-user API, and their building blocks. */
export { weeklyPlaylist, type PlaylistRow, type RecentEntry, type WeeklyPlaylistOptions } from './weekly-playlist.js';
export type { ListenEvent } from './recent-events.js';
export { runWeeklyJob, type WeeklyJobOptions, type WeeklyJobSummary } from './job.js';
export { buildTables, buildFeatures, contentFeatures, recentTables, recentTablesAsync, artistTrackRows, type TablesInput, type RecentTables, type FeatureInput } from './prepare.js';
export { trackMetaFromCatalog, trackMetaFromContent, trackMetaFromEvents, type TrackMeta } from './catalog.js';
export { archiveWeeks, previousWeeks, readArchive, openArchiveWeek } from './archive.js';
export { isoWeek, weekKey } from './week.js';
export { formatReason, type ReasonNames } from './reasons.js';
export { PLAYLIST_COLUMNS, outputFormat, type OutputFormat } from './output.js';
export { ListStatsCounter, type ListStats } from './list-stats.js';
export { DEFAULT_CANDIDATES, type PlaylistTables, type ShardSettings, type RetrievalMode } from './tables.js';
export { workDirFor } from './work-dir.js';
export { ShardRunner, type ShardResult, type PhaseSeconds } from './shard.js';
