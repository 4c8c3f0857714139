/** Options of readEvents and how they resolve to column names and rule settings. */
import type { EventRuleOptions } from './event-collector.js';
import type { EventKind } from '../types.js';
import type { OnReadProgress } from './read-progress.js';
import { optionalColumn, requireColumn } from './find-column.js';

export interface ReadEventsOptions {
  /** User id column (default `user_id`). */
  userCol?: string;
  /** Track id column (default `track_id`); `itemCol` is an alias. */
  trackCol?: string;
  itemCol?: string;
  /** Timestamp column (default `timestamp`): ISO-8601, epoch s/ms/µs/ns, or a typed timestamp. */
  timeCol?: string;
  /** Event kind column (default `event`); when absent every row is a play. */
  eventCol?: string;
  /** Milliseconds played (default `ms_played`); optional. */
  msPlayedCol?: string;
  /** Track duration in ms (default `track_duration_ms`); optional. */
  durationCol?: string;
  /** Artist id (default `artist_id`); optional. */
  artistCol?: string;
  /** Listening context (default `context`); optional. */
  contextCol?: string;
  /** Other names of event kinds in the file, e.g. `{ stream: 'play', skipped: 'skip' }` (matched ignoring case). */
  eventAliases?: Readonly<Record<string, EventKind>>;
  /** Reference time (epoch ms): later events are `future_timestamp`; also the retention anchor. */
  asOf?: number;
  /** Fail on the first row that breaks a validation rule, naming file:line and the rule. */
  strict?: boolean;
  /** Count and skip malformed rows instead of failing. */
  skipBad?: boolean;
  /** Retention: events older than (asOf ?? now) − maxAgeMs are dropped as `too_old`. */
  maxAgeMs?: number;
  /** Events before this epoch ms are `ancient_timestamp` (default 2000-01-01T00:00Z). */
  minEpochMs?: number;
  /** ms_played may exceed track_duration_ms by this much before `overlong_play` (default 5000). */
  durationToleranceMs?: number;
  /** Applied to every raw user id before it enters the dictionary. */
  pseudonymize?: (rawUserId: string) => string;
  /** Empty or header-only text files give an empty log instead of an error. */
  allowEmpty?: boolean;
  /** File format; chosen from the extension when absent. */
  format?: 'csv' | 'parquet' | 'arrow';
  /** Text files: the longest accepted row in bytes (default 64 MiB). */
  maxLineBytes?: number;
  /** Called as the read advances (per chunk or record batch). */
  onProgress?: OnReadProgress;
  /**
   * Threads that read a large plain CSV/TSV file, each a byte range of it (default: the cores, up
   * to 8; 1 reads on the calling thread alone). Strict reads and gzip files use one. The result
   * is the same whatever the number.
   */
  readThreads?: number;
  /** The smallest byte range of a CSV/TSV file given a thread of its own (default 16 MiB). */
  minRangeBytes?: number;
  /**
   * Keep the log's columns in SharedArrayBuffers (default false): `computeSignalsAsync` and other
   * worker threads then take them without a copy. Shared memory cannot be transferred.
   */
  sharedColumns?: boolean;
}

/** The column names to look for; `required` ones must exist, optional ones may be absent. */
export interface EventColumnNames {
  user: string;
  track: string;
  time: string;
  event: string;
  msPlayed: string;
  duration: string;
  artist: string;
  context: string;
}

export const DEFAULT_MIN_EPOCH_MS = Date.UTC(2000, 0, 1);

export function eventColumnNames(o: ReadEventsOptions): EventColumnNames {
  return {
    user: o.userCol ?? 'user_id',
    track: o.trackCol ?? o.itemCol ?? 'track_id',
    time: o.timeCol ?? 'timestamp',
    event: o.eventCol ?? 'event',
    msPlayed: o.msPlayedCol ?? 'ms_played',
    duration: o.durationCol ?? 'track_duration_ms',
    artist: o.artistCol ?? 'artist_id',
    context: o.contextCol ?? 'context',
  };
}

/** Column positions in a file (-1 when an optional column is absent). */
export interface EventColumnIndex {
  user: number;
  track: number;
  time: number;
  event: number;
  msPlayed: number;
  duration: number;
  artist: number;
  context: number;
}

/**
 * Finds the columns among a file's names (exact match, then case-insensitive). Required columns
 * and optional columns named explicitly in the options must exist.
 */
export function locateEventColumns(file: string, names: readonly string[], o: ReadEventsOptions): EventColumnIndex {
  const want = eventColumnNames(o);
  const need = (name: string): number => requireColumn(file, names, name);
  const optional = (name: string, explicit: string | undefined): number => optionalColumn(file, names, explicit, name);
  return {
    user: need(want.user),
    track: need(want.track),
    time: need(want.time),
    event: optional(want.event, o.eventCol),
    msPlayed: optional(want.msPlayed, o.msPlayedCol),
    duration: optional(want.duration, o.durationCol),
    artist: optional(want.artist, o.artistCol),
    context: optional(want.context, o.contextCol),
  };
}

/** Schema roles of event columns, by their default names (the keys of `IngestReport.columns`). */
export const EVENT_COLUMN_ROLES = ['user_id', 'track_id', 'timestamp', 'event', 'ms_played', 'track_duration_ms', 'artist_id', 'context'] as const;
export type EventColumnRole = (typeof EVENT_COLUMN_ROLES)[number];

/** The file's column read for each role, null for an optional role the file does not have. */
export function eventColumnsUsed(names: readonly string[], idx: EventColumnIndex): Record<EventColumnRole, string | null> {
  const at = (i: number): string | null => (i >= 0 ? names[i] : null);
  return {
    user_id: at(idx.user),
    track_id: at(idx.track),
    timestamp: at(idx.time),
    event: at(idx.event),
    ms_played: at(idx.msPlayed),
    track_duration_ms: at(idx.duration),
    artist_id: at(idx.artist),
    context: at(idx.context),
  };
}

/** Rule settings from the options. */
export function eventRuleOptions(o: ReadEventsOptions): EventRuleOptions {
  for (const [k, v] of Object.entries({ asOf: o.asOf, maxAgeMs: o.maxAgeMs, minEpochMs: o.minEpochMs, durationToleranceMs: o.durationToleranceMs })) {
    if (v !== undefined && !Number.isFinite(v)) throw new RangeError(`readEvents: ${k} must be a finite number, got ${v}`);
  }
  if (o.maxAgeMs !== undefined && o.maxAgeMs < 0) throw new RangeError(`readEvents: maxAgeMs must be ≥ 0, got ${o.maxAgeMs}`);
  if (o.durationToleranceMs !== undefined && o.durationToleranceMs < 0) throw new RangeError(`readEvents: durationToleranceMs must be ≥ 0, got ${o.durationToleranceMs}`);
  const rules: EventRuleOptions = {
    minEpochMs: o.minEpochMs ?? DEFAULT_MIN_EPOCH_MS,
    durationToleranceMs: o.durationToleranceMs ?? 5000,
  };
  // Every event would be ancient or in the future: a mistake, not a policy.
  if (o.asOf !== undefined && rules.minEpochMs >= o.asOf) {
    const bound = o.minEpochMs === undefined ? 'the default minEpochMs, 2000-01-01' : 'minEpochMs';
    throw new RangeError(`readEvents: asOf (${new Date(o.asOf).toISOString()}) must be after ${bound} (${new Date(rules.minEpochMs).toISOString()}): every event would be dropped`);
  }
  if (o.asOf !== undefined) rules.asOf = o.asOf;
  if (o.maxAgeMs !== undefined) rules.retainFromMs = (o.asOf ?? Date.now()) - o.maxAgeMs;
  return rules;
}
