/**
 * One user's weekly playlist, on demand (what a service calls, and what Model.weeklyPlaylist
 * exposes): the same retrieval, exclusions, re-ranking and reasons as the weekly job. Fresh
 * feedback (`recent`) is folded into the user's factors first, so it changes the playlist without
 * retraining.
 */
import { checkCount, checkHistory } from '../model/history.js';
import type { ModelData } from '../model/model-data.js';
import type { ItemFeatures } from '../rerank/item-features.js';
import { resolveRerankOptions, type RerankOptions } from '../rerank/options.js';
import { itemGram } from '../model/item-gram.js';
import { averageTasteOf } from '../model/average-taste.js';
import { Dictionary } from '../data/dictionary.js';
import { parseTimeText } from '../data/timestamps.js';
import { trackMetaFromContent, type TrackMeta } from './catalog.js';
import { artistTrackRows, buildFeatures, contentFeatures, type FeatureInput } from './prepare.js';
import { formatReason } from './reasons.js';
import type { WeightedRows } from './refresh.js';
import { ShardRunner } from './shard.js';
import { preparedItemsOf } from '../retrieve/prepared-items.js';
import { DEFAULT_CANDIDATES, type PlaylistTables, type RetrievalMode } from './tables.js';
import { isoWeek, weekKey } from './week.js';
import { nextTurn } from '../util/turns.js';
import { mergeEvidence } from '../retrieve/fold-in.js';
import { toShared } from '../util/shared-memory.js';
import { evidenceFromEvents, type ListenEvent, type RecentEvidence } from './recent-events.js';
import type { EventKind } from '../types.js';
import type { SignalsConfigInput } from '../signals/index.js';
import { resolveBlendWeights } from '../content/hybrid-blend.js';
import type { HybridWeights } from '../content/hybrid.js';

export interface PlaylistRow {
  userId: string;
  week: string;
  position: number;
  trackId: string;
  artistId: string | null;
  score: number;
  reason: string;
}

/** A track event of the user since training: positive (play, like) or negative (skip, dislike) evidence. */
export interface RecentEntry {
  trackId: string;
  weight?: number;
  pref?: 0 | 1;
}

export interface WeeklyPlaylistOptions extends Omit<RerankOptions, 'asOf'> {
  /** The day the playlist is made for: epoch ms, a Date or an ISO-8601 string. */
  asOf: number | Date | string;
  /**
   * Track metadata aligned with the model's tracks (artists drive the cap, artist exclusions and
   * reasons). Default: the artists of the catalog the model was trained with, else none known.
   */
  meta?: TrackMeta;
  features?: FeatureInput;
  /**
   * The user's events since training: heard (never offered) and folded into their factors. For a
   * user the model has not seen they are all there is: at least one entry on a known track is
   * needed (with no positive one, the playlist is what the average listener plays).
   */
  recent?: readonly RecentEntry[];
  /**
   * The user's raw events since training (plays with ms played, skips, likes, dislikes, … as a
   * service receives them). They pass through the signals stage as the weekly job's recent events
   * do — decay to asOf, early skips and dislikes against, disliked tracks and artists left out —
   * and are added to `recent`, `dislikedTracks` and `dislikedArtists`. The account's trust is not
   * judged (one account has no population to be judged against). Invalid events throw, naming
   * `recentEvents:row N`.
   */
  recentEvents?: readonly ListenEvent[];
  /** Other names of event kinds in `recentEvents` (e.g. `{ stream: 'play' }`). */
  eventAliases?: Readonly<Record<string, EventKind>>;
  /**
   * Signals config overrides `recentEvents` are read with (decay, weights, negatives, …): a tuned
   * run's, so fresh events weigh as training's did (`weeklyOptionsOf(config)` sets it).
   */
  signals?: SignalsConfigInput;
  /** Tracks of the user's last weekly playlists. */
  archive?: readonly string[];
  dislikedTracks?: readonly string[];
  dislikedArtists?: readonly string[];
  /** Candidates retrieved before re-ranking (default DEFAULT_CANDIDATES). */
  candidates?: number;
  historySize?: number;
  retrieval?: RetrievalMode;
  indexDir?: string;
  ef?: number;
  /**
   * Blend the similarity of each candidate's content to the user's history into its CF score
   * before re-ranking, as the weekly job's `hybrid` setting (default: CF only). A content weight
   * needs a model that carries a content model, or `features.content`.
   */
  hybrid?: HybridWeights;
}

/** Track features and the artist table for one metadata table. */
interface MetaState {
  features: ItemFeatures;
  /** The content vectors of the features (their diversity vectors), when there are any. */
  content?: { unit: Float32Array; dim: number };
  artistTracks: { indptr: Int32Array; indices: Int32Array };
}

/** What one model's playlists share across calls, built once per model. */
interface ModelState {
  runner: ShardRunner;
  /** The item matrix on shared memory: the async scoring reads it in place. */
  itemFactors: Float32Array;
  /** The saved catalog's artists when the model has them; otherwise no artist is known (cap off). */
  defaultMeta: TrackMeta;
  byMeta: WeakMap<TrackMeta, MetaState>;
}

const states = new WeakMap<ModelData, ModelState>();

function stateOf(data: ModelData): ModelState {
  let st = states.get(data);
  if (!st) {
    st = {
      runner: new ShardRunner(undefined, preparedItemsOf(data)),
      itemFactors: toShared(data.itemFactors),
      defaultMeta: data.content ? trackMetaFromContent(data.content.data, data.items) : { artists: new Dictionary(), trackArtist: new Int32Array(data.items.size).fill(-1) },
      byMeta: new WeakMap(),
    };
    states.set(data, st);
  }
  return st;
}

/** The options with the evidence of raw recent events added to the caller's own. */
function withRecentEvents(o: WeeklyPlaylistOptions, e: RecentEvidence): WeeklyPlaylistOptions {
  return {
    ...o,
    recent: [...(o.recent ?? []), ...e.recent],
    dislikedTracks: [...(o.dislikedTracks ?? []), ...e.dislikedTracks],
    dislikedArtists: [...(o.dislikedArtists ?? []), ...e.dislikedArtists],
  };
}

/** asOf as epoch ms: numbers pass, Dates and ISO-8601 strings are converted (as event timestamps are: no offset means UTC). */
function asOfMs(asOf: unknown): number {
  const ms = typeof asOf === 'number' ? asOf : asOf instanceof Date ? asOf.getTime() : typeof asOf === 'string' ? parseTimeText(asOf) : Number.NaN;
  if (!Number.isFinite(ms)) {
    const got = typeof asOf === 'number' ? String(asOf) : asOf instanceof Date ? 'an invalid Date' : (JSON.stringify(asOf) ?? String(asOf));
    throw new TypeError(`weeklyPlaylist: options.asOf must be epoch ms, a Date or an ISO-8601 date, got ${got}`);
  }
  return ms;
}

/** The retrieval knobs: counts ≥ 1 and a known mode (an unknown one was served as exact). */
function checkRetrieval(o: WeeklyPlaylistOptions): void {
  for (const key of ['candidates', 'historySize', 'ef'] as const) if (o[key] !== undefined) checkCount(`weeklyPlaylist: options.${key}`, o[key]);
  if (o.retrieval !== undefined && !(['exact', 'hnsw'] as readonly unknown[]).includes(o.retrieval)) {
    throw new RangeError(`weeklyPlaylist: options.retrieval must be 'exact' or 'hnsw', got ${JSON.stringify(o.retrieval)}`);
  }
}

/** The caller's recent entries are checked here, so a bad one is named by its place and track. */
function checkRecent(recent: readonly RecentEntry[] | undefined): void {
  if (recent !== undefined) checkHistory(recent, 'weeklyPlaylist: options.recent');
}

/** Features for this metadata (cached), or built afresh when the caller brings its own inputs. */
function metaStateFor(data: ModelData, st: ModelState, meta: TrackMeta, features?: FeatureInput): MetaState {
  const cached = features ? undefined : st.byMeta.get(meta);
  if (cached) return cached;
  const content = features?.content ? undefined : contentFeatures(data);
  const input = content ? { ...features, content } : features;
  const built = buildFeatures(data, meta, input);
  const ms: MetaState = {
    features: built,
    artistTracks: artistTrackRows(meta.trackArtist, meta.artists.size),
    ...(input?.content ? { content: { unit: built.diversity, dim: built.diversityDim } } : {}),
  };
  if (!features) st.byMeta.set(meta, ms);
  return ms;
}

const EMPTY_ROW: WeightedRows = { indptr: Int32Array.of(0, 0), indices: new Int32Array(0), pref: new Float32Array(0), weight: new Float32Array(0) };

function userRow(m: WeightedRows, u: number): WeightedRows {
  const b = m.indptr[u];
  const e = m.indptr[u + 1];
  return { indptr: Int32Array.of(0, e - b), indices: m.indices.subarray(b, e), pref: m.pref.subarray(b, e), weight: m.weight.subarray(b, e) };
}

/** A stable 24-bit number from an id (FNV-1a). */
function idSeed(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0xffffff;
}

function oneRow(indices: number[]): { indptr: Int32Array; indices: Int32Array } {
  const sorted = Int32Array.from(indices).sort();
  return { indptr: Int32Array.of(0, sorted.length), indices: sorted };
}

/**
 * Build what a model's first weeklyPlaylist call would (track features, the item Gram matrix, the
 * artist table, the re-ranker's per-track tables: a few hundred ms at 200,000 tracks) by making
 * one playlist with the default options, so no user request pays for it.
 */
export async function prepareWeeklyPlaylist(model: { data: ModelData }, meta?: TrackMeta): Promise<void> {
  const data = model.data;
  if (data.users.size === 0) return;
  await weeklyPlaylist(model, data.users.ids[0], { asOf: Date.now(), ...(meta ? { meta } : {}) });
}

export async function weeklyPlaylist(model: { data: ModelData }, userId: string, options: WeeklyPlaylistOptions): Promise<PlaylistRow[]> {
  const data = model.data;
  const known = data.users.get(userId);
  const track = (id: string): number => data.items.get(id) ?? -1;
  const asOf = asOfMs(options.asOf);
  checkRecent(options.recent);
  checkRetrieval(options);
  const opts = options.recentEvents && options.recentEvents.length > 0 ? withRecentEvents(options, await evidenceFromEvents(userId, options.recentEvents, asOf, options.eventAliases, options.signals)) : options;
  // A listener the model has not seen is folded in from their recent evidence alone; with nothing
  // positive in it they get what the average listener plays, as in the weekly job.
  if (known === undefined && !(opts.recent ?? []).some((e) => track(e.trackId) >= 0)) {
    throw new RangeError(`weeklyPlaylist: unknown user '${userId}' (give their recent events as options.recent or options.recentEvents, at least one on a known track, to fold them in)`);
  }
  const st = stateOf(data);
  const meta = opts.meta ?? st.defaultMeta;
  // One user's retrieval and re-ranking take one to ten milliseconds of CPU on this thread; taking
  // turns lets a service's event loop run between concurrent calls instead of behind all of them.
  await nextTurn();
  const k = data.params.factors;
  const shared = metaStateFor(data, st, meta, opts.features);
  const seenRow = known === undefined ? EMPTY_ROW : userRow(data.seen, known);
  let recent: WeightedRows | undefined;
  if (opts.recent && opts.recent.length > 0) {
    const entries = opts.recent.map((e) => ({ item: track(e.trackId), weight: e.weight ?? 1, pref: e.pref ?? 1 })).filter((e) => e.item >= 0);
    const row = mergeEvidence(entries, data.items.size);
    recent = { indptr: Int32Array.of(0, row.indices.length), ...row };
  }
  const artistIdx = (opts.dislikedArtists ?? []).map((a) => meta.artists.get(a) ?? -1).filter((a) => a >= 0);
  const tables: PlaylistTables = {
    factors: k,
    userFactors: known === undefined ? new Float32Array(k) : data.userFactors.subarray(known * k, (known + 1) * k),
    itemFactors: st.itemFactors,
    itemGram: itemGram(data),
    params: data.params,
    seen: seenRow,
    recent,
    dislikedTracks: oneRow((opts.dislikedTracks ?? []).map(track).filter((t) => t >= 0)),
    dislikedArtists: artistIdx.length > 0 ? { byUser: oneRow(artistIdx), tracks: shared.artistTracks } : undefined,
    archive: oneRow((opts.archive ?? []).map(track).filter((t) => t >= 0)),
    features: shared.features,
    averageTaste: averageTasteOf(data),
    ...(shared.content ? { content: shared.content } : {}),
  };
  const week = isoWeek(asOf);
  const settings = {
    candidates: opts.candidates ?? DEFAULT_CANDIDATES,
    // Only the re-ranking knobs: the runner keys its re-ranker on them, and opts also holds the
    // metadata (JSON of a 200,000-track table was 30 ms of every call).
    rerank: resolveRerankOptions({ ...opts, asOf }),
    weekKey: weekKey(week),
    historySize: opts.historySize ?? 30,
    retrieval: opts.retrieval ?? 'exact',
    indexDir: opts.indexDir,
    ef: opts.ef,
    foldInRecent: true,
    ...(opts.hybrid ? { hybrid: resolveBlendWeights(opts.hybrid, 'weeklyPlaylist: options.hybrid') } : {}),
  } as const;
  const runner = st.runner;
  await runner.prepare(tables, settings);
  // Row 0 of the one-user tables; the user's index seeds the draw like in the job.
  // A new listener's draw is seeded from their id, so it is as repeatable as anyone's.
  const r = await runner.runAsync(tables, settings, Int32Array.of(0), known ?? data.users.size + idSeed(userId));
  const names = { trackIds: data.items.ids, artistIds: meta.artists.ids, trackArtist: meta.trackArtist, trackTitles: meta.titles };
  const rows: PlaylistRow[] = [];
  for (let s = 0; s < r.count[0]; s++) {
    const it = r.items[s];
    const a = meta.trackArtist[it];
    rows.push({
      userId,
      week,
      position: s + 1,
      trackId: data.items.ids[it],
      artistId: a >= 0 ? meta.artists.ids[a] : null,
      score: r.scores[s],
      reason: formatReason(r.reason[s], r.refA[s], r.refB[s], names),
    });
  }
  return rows;
}
