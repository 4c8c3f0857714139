/**
 * Where a run's interactions come from and how they are read, from the flags train, evaluate and
 * tune share (the CLI registers them; evaluation and run configs reuse the same reading): counts
 * files go straight to a matrix; event logs pass through the signals stage (decay, negatives,
 * trust) first. Privacy options (pseudonyms, retention) apply at ingest.
 */
import { MissingColumnError, countsToInteractions, readCounts, readEvents, type IngestReport, type ReadCountsOptions, type ReadEventsOptions } from '../data/index.js';
import type { Pseudonymizer } from '../privacy/index.js';
import type { OnReadProgress } from '../data/read-progress.js';
import { defaultAsOf, loadSignalsConfig, type SignalsConfigInput, type SignalsProgress, type SignalsReport } from '../signals/index.js';
import { computeSignalsAsync } from '../signals/off-thread.js';
import type { Interactions } from '../types.js';

/** The readEvents options the column flags set under their own names (`--user-col`, `--event-col`, …, `--event-aliases`, and `--read-threads`). */
const EVENT_COLUMN_KEYS = ['userCol', 'itemCol', 'timeCol', 'eventCol', 'msPlayedCol', 'durationCol', 'artistCol', 'contextCol', 'eventAliases', 'readThreads'] as const;

/**
 * Column names of an event log other than the schema's, other names of its event kinds, and the
 * bounds of two validation rules: `minDate` (epoch ms; earlier events are ancient_timestamp) and
 * `durationTolerance` (ms; ms_played beyond the track's duration by more is overlong_play).
 */
export type EventColumnFlags = Pick<ReadEventsOptions, (typeof EVENT_COLUMN_KEYS)[number]> & { minDate?: number; durationTolerance?: number };

export interface InteractionFlags extends PrivacyFlags, EventColumnFlags {
  interactions: string;
  format: 'counts' | 'events';
  weightCol?: string;
  skipBad?: boolean;
  strict?: boolean;
  asOf?: number;
  signals?: string;
  /** Set by a command to show how far the read has come. */
  progress?: OnReadProgress;
  /** Set by a command to report the read as soon as it is done (before the signals stage). */
  onRead?: (ingest: IngestReport) => void;
  /** Set by a command to show how far the signals stage has come (event logs). */
  onSignalsProgress?: (progress: SignalsProgress) => void;
  /** Threads of the signals stage (default: the cores, at most 4, for a log of 2^20 events or more). */
  threads?: number;
}

/** The privacy and retention flags a command that reads raw user ids takes. */
export interface PrivacyFlags {
  pseudonymize?: boolean;
  keyFile?: string;
  /** Retention in days. */
  maxAge?: number;
  /** Set by addPrivacyFlags' pre-action hook when --pseudonymize is given and the key loaded. */
  pseudonymizer?: Pseudonymizer;
  /** Set with it: the key's check value (pseudonymKeyCheck), recorded in a model trained on the tokens. */
  pseudonymKeyCheck?: string;
}

const DAY_MS = 86_400_000;

/**
 * readEvents/readCounts options from the privacy flags. Counts carry no timestamps, so retention
 * cannot apply to them: --max-age with a counts file is an error rather than a silent no-op.
 */
export function ingestPrivacyOptions(f: PrivacyFlags, format: 'counts' | 'events' = 'events'): { pseudonymize?: Pseudonymizer; maxAgeMs?: number } {
  if (f.pseudonymize && !f.pseudonymizer) throw new Error('--pseudonymize: the key was not loaded (register the flags with addPrivacyFlags)');
  if (f.maxAge !== undefined && format === 'counts') throw new Error('--max-age needs timestamps: it applies to event logs (--format events), not counts files');
  return {
    ...(f.pseudonymizer ? { pseudonymize: f.pseudonymizer } : {}),
    ...(f.maxAge !== undefined ? { maxAgeMs: f.maxAge * DAY_MS } : {}),
  };
}

export interface LoadedInteractions {
  interactions: Interactions;
  /** What the read did, and for event logs what the signals stage did. */
  report: { ingest: IngestReport; signals?: SignalsReport };
  /** Wall-clock seconds of the read and of the signals stage (event logs). */
  seconds: { read: number; signals?: number };
}

/**
 * readCounts options from the shared flags (the counts defaults: user_id, item_id, and weight when
 * the file has it: without --weight-col a file of pairs counts 1 a row).
 */
export function countsReadOptions(f: Omit<InteractionFlags, 'signals'>): ReadCountsOptions & Required<Pick<ReadCountsOptions, 'userCol' | 'itemCol'>> {
  // Counts carry no timestamps or durations: the rules these bound do not apply to them.
  if (f.minDate !== undefined) throw new Error('--min-date bounds event timestamps: it applies to event logs (--format events), not counts files');
  if (f.durationTolerance !== undefined) throw new Error('--duration-tolerance bounds play times: it applies to event logs (--format events), not counts files');
  return {
    userCol: f.userCol ?? 'user_id',
    itemCol: f.itemCol ?? 'item_id',
    ...(f.weightCol !== undefined ? { weightCol: f.weightCol } : {}),
    ...(f.readThreads !== undefined ? { readThreads: f.readThreads } : {}),
    skipBad: f.skipBad ?? false,
    ...(f.progress ? { onProgress: f.progress } : {}),
    ...ingestPrivacyOptions(f, 'counts'),
  };
}

/** The column and rule options of readEvents from the flags that were given. */
export function eventColumnOptions(f: EventColumnFlags): ReadEventsOptions {
  const o: Record<string, unknown> = {};
  for (const k of EVENT_COLUMN_KEYS) if (f[k]) o[k] = f[k];
  if (f.minDate !== undefined) o.minEpochMs = f.minDate;
  if (f.durationTolerance !== undefined) o.durationToleranceMs = f.durationTolerance;
  return o as ReadEventsOptions;
}

/** readEvents options from the shared flags. */
export function eventsReadOptions(f: Omit<InteractionFlags, 'signals'>): ReadEventsOptions {
  return {
    ...eventColumnOptions(f),
    ...(f.progress ? { onProgress: f.progress } : {}),
    skipBad: f.skipBad ?? false,
    strict: f.strict ?? false,
    ...(f.asOf !== undefined ? { asOf: f.asOf } : {}),
    ...ingestPrivacyOptions(f, 'events'),
  };
}

/**
 * Reads with `read`, and when a needed column is missing but the file looks like the other kind
 * of input (an event log read as counts, or counts read as events) says which --format to use.
 */
export async function withFormatHint<T>(format: 'counts' | 'events', read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof MissingColumnError)) throw err;
    const has = (c: string): boolean => err.columns.some((n) => n.toLowerCase() === c);
    if (format === 'counts' && has('timestamp') && !has('weight')) err.message += ': this looks like an event log — add --format events';
    if (format === 'events' && has('weight') && !has('timestamp')) err.message += ': this looks like a counts file — use --format counts (the default)';
    throw err;
  }
}

/** Read the file; event logs pass through the signals stage with `signals` (default: the --signals file, else the defaults). */
export async function loadInteractions(f: InteractionFlags, signals?: SignalsConfigInput): Promise<LoadedInteractions> {
  const started = performance.now();
  if (f.format === 'counts') {
    const counts = await withFormatHint('counts', () => readCounts(f.interactions, countsReadOptions(f)));
    const interactions = countsToInteractions(counts);
    f.onRead?.(counts.report);
    return { interactions, report: { ingest: counts.report }, seconds: { read: (performance.now() - started) / 1000 } };
  }
  // Shared columns: the signals stage's threads read them where they are, with no copy first.
  const { log, report: ingest } = await withFormatHint('events', () => readEvents(f.interactions, { ...eventsReadOptions(f), sharedColumns: true }));
  const read = (performance.now() - started) / 1000;
  f.onRead?.(ingest);
  const asOf = f.asOf ?? defaultAsOf(log.timestamp);
  if (!Number.isFinite(asOf)) throw new Error(`${f.interactions}: no event with a valid timestamp (pass --as-of)`);
  const config = signals ?? (f.signals ? await loadSignalsConfig(f.signals) : undefined);
  const signalsStarted = performance.now();
  // Off this thread (split over the cores for a large log): the command's loop stays free for
  // progress and for an interrupt, and the stage reads the log's shared columns in place.
  const onProgress = f.onSignalsProgress;
  const { interactions, report } = await computeSignalsAsync(log, { asOf, config, ...(onProgress ? { onProgress } : {}), ...(f.threads ? { threads: f.threads } : {}) });
  return { interactions, report: { ingest, signals: report }, seconds: { read, signals: (performance.now() - signalsStarted) / 1000 } };
}
