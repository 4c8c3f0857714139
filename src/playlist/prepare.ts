/**
 * Assembling the weekly job's tables from a model, track metadata, recent events and the archive.
 */
import { itemGram } from '../model/item-gram.js';
import { averageTasteOf } from '../model/average-taste.js';
import { buildCsr } from '../data/csr.js';
import { sharedArray } from '../util/shared-memory.js';
import type { ModelData } from '../model/model-data.js';
import type { UserRows } from '../retrieve/exclusion-rows.js';
import { unitRows, usersPerItem, type ItemFeatures } from '../rerank/item-features.js';
import { computeSignals, type SignalsConfigInput, type SignalsOptions, type SignalsResult } from '../signals/index.js';
import { computeSignalsAsync } from '../signals/off-thread.js';
import { Dictionary } from '../data/dictionary.js';
import type { EventLog, IdDictionary, Interactions } from '../types.js';
import type { TrackMeta } from './catalog.js';
import { recentRows } from './recent-rows.js';
import type { WeightedRows } from './refresh.js';
import type { PlaylistTables } from './tables.js';

/** artists × tracks: the tracks of each artist. */
export function artistTrackRows(trackArtist: Int32Array, artists: number): UserRows {
  const indptr = new Int32Array(artists + 1);
  for (let t = 0; t < trackArtist.length; t++) if (trackArtist[t] >= 0) indptr[trackArtist[t] + 1]++;
  for (let a = 0; a < artists; a++) indptr[a + 1] += indptr[a];
  const fill = indptr.slice(0, artists);
  const indices = new Int32Array(indptr[artists]);
  for (let t = 0; t < trackArtist.length; t++) if (trackArtist[t] >= 0) indices[fill[trackArtist[t]]++] = t;
  return { indptr, indices };
}

export interface FeatureInput {
  /** Content vectors (items × dim) for the diversity term; default: normalized item factors. */
  content?: { vectors: Float32Array; dim: number };
  /** Extra popularity counts (e.g. recent listeners per track) added to the training counts. */
  recentPopularity?: Float32Array;
}

export function buildFeatures(data: ModelData, meta: TrackMeta, input: FeatureInput = {}): ItemFeatures {
  const k = data.params.factors;
  const items = data.items.size;
  if (meta.trackArtist.length !== items) throw new RangeError(`track metadata covers ${meta.trackArtist.length} tracks, the model has ${items}`);
  const popularity = usersPerItem(data.seen.indices, items);
  if (input.recentPopularity) for (let i = 0; i < items; i++) popularity[i] += input.recentPopularity[i];
  const unitFactors = unitRows(data.itemFactors, k);
  let diversity = unitFactors;
  let diversityDim = k;
  if (input.content) {
    if (input.content.vectors.length !== items * input.content.dim) {
      throw new RangeError(`content vectors: length ${input.content.vectors.length}, expected ${items} × ${input.content.dim}`);
    }
    diversity = unitRows(input.content.vectors, input.content.dim);
    diversityDim = input.content.dim;
  }
  return {
    artist: meta.trackArtist,
    artists: meta.artists.size,
    genre: meta.trackGenre,
    popularity,
    releaseMs: meta.releaseMs,
    unitFactors,
    factors: k,
    diversity,
    diversityDim,
  };
}

/**
 * The model's content vectors (unit length) aligned with its tracks by id, for the diversity term
 * of the re-ranker and the hybrid stage. `missing` counts the tracks with no content: unknown to
 * the content model, or known without any genre, tag or feature (a zero vector: no similarity to
 * anything). Undefined when the model carries no content model, or when no track has content (a
 * catalog of ids and artists alone): diversity over zero vectors would silently be no diversity.
 */
export function contentFeatures(data: ModelData): { vectors: Float32Array; dim: number; missing: number } | undefined {
  const content = data.content;
  if (!content) return undefined;
  const dim = content.dim;
  const unit = content.unitVectors();
  const items = data.items.size;
  const vectors = new Float32Array(items * dim);
  let missing = 0;
  for (let i = 0; i < items; i++) {
    const row = content.row(data.items.ids[i]);
    if (row === undefined) {
      missing++;
      continue;
    }
    let any = false;
    for (let j = row * dim; j < (row + 1) * dim && !any; j++) any = unit[j] !== 0;
    if (!any) missing++;
    vectors.set(unit.subarray(row * dim, (row + 1) * dim), i * dim);
  }
  return missing === items && items > 0 ? undefined : { vectors, dim, missing };
}

export interface RecentTables {
  /** Recent interactions in model index space: every event counts as heard; weights from signals. */
  recent: WeightedRows;
  dislikedTracks: UserRows;
  /** Disliked artists in the metadata's artist space. */
  dislikedArtists: UserRows;
  /** Distinct recent listeners per model track. */
  listeners: Float32Array;
  /**
   * The job's users: the model's, then (with `newListeners`) the listeners the model has not seen
   * who have recent evidence on a known track, in order of first appearance.
   */
  users: IdDictionary;
  /** Listeners added after the model's users (users.size − the model's). */
  newListeners: number;
  /** Recent listeners left out: unknown to the model and not added. */
  unknownUsers: number;
  unknownTracks: number;
}

export interface RecentOptions {
  /**
   * Give listeners the model has not seen a playlist from their recent events alone (folded in
   * like everyone's fresh feedback). Those with an entry on a known track are added; one with no
   * positive entry (only skips or dislikes) gets what the average listener plays, without the
   * tracks they turned down, as a known listener without taste evidence does. Accounts the signals
   * stage judged not human have no entries left, so they are not added. Default false.
   */
  newListeners?: boolean;
  /** The signals config the recent events are read with (default: the defaults; a tuned run's overrides, so fresh events are weighed as training's were). */
  signals?: SignalsConfigInput;
}

/** Map a recent event log onto the model's users, tracks and the metadata's artists. */
export function recentTables(data: ModelData, meta: TrackMeta, log: EventLog, asOf: number, opts: RecentOptions = {}): RecentTables {
  return tablesOfSignals(data, meta, log, computeSignals(log, signalsOptions(asOf, opts)), opts);
}

/**
 * recentTables with the signals stage off the caller's thread (split over the cores for a large
 * week; see computeSignalsAsync), for the weekly command: its loop stays free for progress and an
 * interrupt. `onProgress` follows the stage's steps; `threads` as computeSignalsAsync takes it.
 */
export async function recentTablesAsync(
  data: ModelData,
  meta: TrackMeta,
  log: EventLog,
  asOf: number,
  opts: RecentOptions & Pick<SignalsOptions, 'onProgress' | 'threads'> = {},
): Promise<RecentTables> {
  const { onProgress, threads } = opts;
  const signals = await computeSignalsAsync(log, { ...signalsOptions(asOf, opts), ...(onProgress ? { onProgress } : {}), ...(threads ? { threads } : {}) });
  return tablesOfSignals(data, meta, log, signals, opts);
}

/** The signals stage's options for the recent events as of `asOf` (default or tuned config). */
export function signalsOptions(asOf: number, opts: RecentOptions): SignalsOptions {
  return { asOf, ...(opts.signals ? { config: opts.signals } : {}) };
}

/** What the tables take of the week's event log besides the signals stage's result: whose event on which track. */
export type HeardLog = Pick<EventLog, 'length' | 'user' | 'track' | 'users' | 'tracks' | 'artists'>;

/**
 * The tables from the log and the signals stage's result on it (recentTables' second half): for a
 * caller that runs the stage itself and can let the log's other columns go before this step.
 */
export function tablesOfSignals(data: ModelData, meta: TrackMeta, log: HeardLog, signals: Pick<SignalsResult, 'interactions' | 'exclusions'>, opts: RecentOptions = {}): RecentTables {
  const items = data.items.size;
  const trackMap = new Int32Array(log.tracks.size);
  let unknownTracks = 0;
  for (let t = 0; t < log.tracks.size; t++) {
    trackMap[t] = data.items.get(log.tracks.ids[t]) ?? -1;
    if (trackMap[t] < 0) unknownTracks++;
  }
  const { interactions, exclusions } = signals;
  const { userMap, users: jobUsers, added } = jobUserMap(data.users, log.users, interactions, trackMap, opts.newListeners ?? false);
  const users = jobUsers.size;
  let unknownUsers = 0;
  for (let u = 0; u < userMap.length; u++) if (userMap[u] < 0) unknownUsers++;
  const m = recentRows(log, interactions, userMap, trackMap, users, items);
  // The signed sums become the fold-in's (pref, weight) pairs; the weights in place.
  const pref = sharedArray(Float32Array, m.indices.length);
  const weight = m.values[0];
  const listeners = new Float32Array(items);
  for (let p = 0; p < m.indices.length; p++) {
    const s = weight[p];
    pref[p] = s > 0 ? 1 : 0;
    weight[p] = Math.abs(s);
    listeners[m.indices[p]]++;
  }
  const dislikedTracks = remapPattern(exclusions.tracks, userMap, trackMap, users, items);
  const artistMap = new Int32Array(log.artists?.size ?? 0);
  for (let a = 0; a < artistMap.length; a++) artistMap[a] = meta.artists.get(log.artists!.ids[a]) ?? -1;
  const dislikedArtists = remapPattern(exclusions.artistsByUser, userMap, artistMap, users, meta.artists.size);
  return { recent: { indptr: m.indptr, indices: m.indices, pref, weight }, dislikedTracks, dislikedArtists, listeners, users: jobUsers, newListeners: added, unknownUsers, unknownTracks };
}

/** Log user → job user index (−1: left out), and the job's users (the model's, plus new listeners when asked). */
function jobUserMap(
  modelUsers: IdDictionary,
  logUsers: IdDictionary,
  interactions: Interactions,
  trackMap: Int32Array,
  addNew: boolean,
): { userMap: Int32Array; users: IdDictionary; added: number } {
  const userMap = new Int32Array(logUsers.size);
  const fresh: string[] = [];
  for (let u = 0; u < logUsers.size; u++) {
    userMap[u] = modelUsers.get(logUsers.ids[u]) ?? -1;
    if (userMap[u] >= 0 || !addNew) continue;
    let heard = false;
    for (let p = interactions.indptr[u]; p < interactions.indptr[u + 1] && !heard; p++) heard = trackMap[interactions.indices[p]] >= 0;
    if (heard) userMap[u] = modelUsers.size + fresh.push(logUsers.ids[u]) - 1;
  }
  if (fresh.length === 0) return { userMap, users: modelUsers, added: 0 };
  // The new listeners are distinct and none is in the model.
  const users = Dictionary.copyOf(modelUsers);
  for (const id of fresh) users.appendNew(id);
  return { userMap, users, added: fresh.length };
}

function remapPattern(src: { indptr: Int32Array; indices: Int32Array }, rowMap: Int32Array, colMap: Int32Array, rows: number, cols: number): UserRows {
  const r = new Int32Array(src.indices.length);
  const c = new Int32Array(src.indices.length);
  let w = 0;
  for (let u = 0; u + 1 < src.indptr.length; u++) {
    const mu = rowMap[u];
    if (mu < 0) continue;
    for (let p = src.indptr[u]; p < src.indptr[u + 1]; p++) {
      const mc = colMap[src.indices[p]];
      if (mc < 0) continue;
      r[w] = mu;
      c[w] = mc;
      w++;
    }
  }
  const m = buildCsr(rows, cols, r.subarray(0, w), c.subarray(0, w), []);
  return { indptr: m.indptr, indices: m.indices };
}

export interface TablesInput {
  meta: TrackMeta;
  features?: FeatureInput;
  recent?: RecentTables;
  archive?: UserRows;
}

export function buildTables(data: ModelData, input: TablesInput): PlaylistTables {
  const features = buildFeatures(data, input.meta, { ...input.features, recentPopularity: input.recent?.listeners ?? input.features?.recentPopularity });
  const k = data.params.factors;
  // New listeners (rows past the model's) start from zero factors and no history: the fold-in of
  // their recent events is all they are.
  const users = input.recent?.users.size ?? data.users.size;
  const extra = users - data.users.size;
  return {
    factors: k,
    userFactors: extra > 0 ? withZeroRows(data.userFactors, users * k) : data.userFactors,
    itemFactors: data.itemFactors,
    itemGram: itemGram(data),
    params: data.params,
    seen: extra > 0 ? withEmptyRows(data.seen, users) : data.seen,
    recent: input.recent?.recent,
    dislikedTracks: input.recent?.dislikedTracks,
    dislikedArtists: input.recent ? { byUser: input.recent.dislikedArtists, tracks: artistTrackRows(input.meta.trackArtist, input.meta.artists.size) } : undefined,
    archive: input.archive,
    features,
    averageTaste: averageTasteOf(data),
    ...(input.features?.content ? { content: { unit: features.diversity, dim: features.diversityDim } } : {}),
  };
}

function withZeroRows(a: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(a);
  return out;
}

function withEmptyRows(m: WeightedRows, rows: number): WeightedRows {
  const indptr = new Int32Array(rows + 1);
  indptr.set(m.indptr);
  indptr.fill(m.indptr[m.indptr.length - 1], m.indptr.length);
  return { ...m, indptr };
}
