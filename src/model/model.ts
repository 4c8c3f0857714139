/**
 * A trained model: factors, id dictionaries and what each user has heard, with the
 * recommendation methods a service calls. Methods never mutate the model, so concurrent calls
 * are safe; heavy work runs in native async calls off the JS thread.
 */
import { itemGram, itemGramAsync } from './item-gram.js';
import { sharedArray, toShared } from '../util/shared-memory.js';
import { gatherFactors, gatherRows, topKRange, type TopKBlock } from '../retrieve/exact.js';
import { PreparedItemsCache, preparedItemsOf } from '../retrieve/prepared-items.js';
import type { CsrArrays } from '../native/index.js';
import { foldInVector, foldInVectorAsync, type FoldInEntry } from '../retrieve/fold-in.js';
import type { Recommendation } from '../types.js';
import { checkModelTarget } from './target-dir.js';
import { KEY_CHECK_PATTERN, loadModelDir, PSEUDONYM_SCHEME, readManifest, saveModelDir, type Manifest } from './format.js';
import type { ModelData, ModelParams } from './model-data.js';
import { packageVersion } from '../util/version.js';
import { ContentModel } from '../content/content-model.js';
import { prepareWeeklyPlaylist, weeklyPlaylist, type PlaylistRow, type WeeklyPlaylistOptions } from '../playlist/weekly-playlist.js';
import { nextTurn } from '../util/turns.js';
import { errorMessage } from '../util/error-message.js';
import { averageTasteOf, hasTaste } from './average-taste.js';
import { isZeroRow } from '../util/dot.js';
import { checkCount, checkHistory } from './history.js';

/** A block of top-n arrays and which of its users were scored with the average taste. */
interface ScoredBlock extends TopKBlock {
  cold: Uint8Array | null;
}

/** The content model's file inside a model directory. */
export const CONTENT_FILE = 'content.bin';

export interface RecommendOptions {
  /** How many tracks (default 10). */
  n?: number;
  /** Leave out tracks the user heard in the training data (default true). */
  excludeSeen?: boolean;
}

export interface RecommendAllOptions {
  n?: number;
  /** Only these user ids (default: every user of the model). Unknown ids are skipped. */
  users?: readonly string[];
  /** Users scored per native call (default 2048). */
  batchSize?: number;
  /** Native calls in flight at once (default 2). */
  concurrency?: number;
}

export interface UserRecommendations {
  userId: string;
  items: Recommendation[];
  /**
   * The user has no taste evidence in the training data (nothing positive: only skips, or an
   * account the signals stage judged not human), so the items are what the average listener of
   * the model would play, as in the weekly job.
   */
  cold: boolean;
}

/**
 * recommendAll's lists as arrays, for a batch writer: no object per row. User i of the block is
 * `users[i]` (an index of `Model.userIds`); its list is `items[i*n ... i*n+n)` (indices of
 * `Model.trackIds`, best first, -1 past the end of a short list) with `scores` alike.
 */
export interface RecommendationBlock {
  users: Int32Array;
  n: number;
  items: Int32Array;
  scores: Float32Array;
  /** 1 for a user scored with the average listener's taste (see UserRecommendations.cold); null when none. */
  cold: Uint8Array | null;
}

/** A (track, weight) pair of a user's history; pref 0 marks negative evidence. */
export interface HistoryEntry {
  trackId: string;
  weight?: number;
  pref?: 0 | 1;
}

export class Model {
  private normalizedItems?: Float32Array;
  /** The unit item rows of similarTracks quantized once for exact top-k (prepared-items.ts). */
  private readonly preparedNormalized = new PreparedItemsCache();

  readonly data: ModelData;

  /**
   * The factor matrices and the interactions are moved to shared memory once (a no-op for loaded
   * models), so the addon's async calls, playlist workers and a save's worker read them in place.
   */
  constructor(data: ModelData) {
    const { indptr, indices, pref, weight } = data.seen;
    this.data = {
      ...data,
      userFactors: toShared(data.userFactors),
      itemFactors: toShared(data.itemFactors),
      seen: { indptr: toShared(indptr), indices: toShared(indices), pref: toShared(pref), weight: toShared(weight) },
    };
  }

  get params(): ModelParams {
    return this.data.params;
  }
  get factors(): number {
    return this.data.params.factors;
  }
  get userIds(): readonly string[] {
    return this.data.users.ids;
  }
  get trackIds(): readonly string[] {
    return this.data.items.ids;
  }

  static async load(dir: string): Promise<Model> {
    const { data, extras } = await loadModelDir(dir);
    const contentBytes = extras.get(CONTENT_FILE);
    if (!contentBytes) return new Model(data);
    let content: ContentModel;
    try {
      content = ContentModel.fromBytes(contentBytes);
    } catch (err) {
      throw new Error(`${dir}/${CONTENT_FILE}: ${errorMessage(err)}`);
    }
    return new Model({ ...data, content });
  }

  /**
   * A copy of this model marked as holding pseudonym tokens for user ids, made with the key whose
   * check value is given (pseudonymKeyCheck); saved with it, so runs with another key are refused.
   */
  withPseudonyms(keyCheck: string): Model {
    if (!KEY_CHECK_PATTERN.test(keyCheck)) throw new TypeError(`withPseudonyms: keyCheck must be 16 hex digits (pseudonymKeyCheck), got ${JSON.stringify(keyCheck)}`);
    return new Model({ ...this.data, pseudonyms: { keyCheck } });
  }

  /** A copy of this model carrying a content model (see content/attach.ts). */
  withContent(content: ContentModel): Model {
    return new Model({ ...this.data, content });
  }

  /** Read only the manifest of a model directory (verifies nothing else). */
  static async manifest(dir: string): Promise<Manifest> {
    return readManifest(dir);
  }

  /**
   * Save to `dir`, atomically: the directory is replaced whole. It must not exist, be empty, or
   * hold a mixtape model; a directory of other files, or a file, is refused rather than lost.
   */
  async save(dir: string): Promise<void> {
    await checkModelTarget(dir);
    const c = this.data.content;
    const extras = c ? [{ name: CONTENT_FILE, bytes: c.toBytes() }] : [];
    const p = this.data.pseudonyms;
    const extensions = {
      ...(c ? { content: { file: CONTENT_FILE, tracks: c.tracks.size, dim: c.dim } } : {}),
      ...(p ? { pseudonyms: { scheme: PSEUDONYM_SCHEME, keyCheck: p.keyCheck } } : {}),
    };
    await saveModelDir(dir, this.data, packageVersion(), extras, c || p ? extensions : undefined);
  }

  /**
   * This week's discovery playlist for a known user: retrieval, re-ranking (novelty, diversity,
   * artist cap, exploration, popularity debiasing) and a reason per track.
   */
  async weeklyPlaylist(userId: string, opts: WeeklyPlaylistOptions): Promise<PlaylistRow[]> {
    return weeklyPlaylist(this, userId, opts);
  }

  /**
   * Build the caches the first calls would otherwise build while a user waits: the id lookups of
   * a freshly trained model (a slice per event-loop turn), the item Gram matrix of foldIn (on the
   * thread pool), the unit item vectors of similarTracks, the item matrices quantized for exact
   * top-k (on the thread pool) and the track features of weeklyPlaylist. ModelHandle.reload warms
   * a model before swapping it in.
   */
  async warm(): Promise<this> {
    await this.data.users.indexInTurns();
    await this.data.items.indexInTurns();
    await itemGramAsync(this.data);
    await nextTurn();
    await preparedItemsOf(this.data).getAsync(this.data.itemFactors, this.factors);
    await this.preparedNormalized.getAsync(this.itemsNormalized(), this.factors);
    await prepareWeeklyPlaylist(this);
    return this;
  }

  /**
   * Top-n tracks for a known user. Unknown users get an error; fold them in first. A user without
   * taste evidence (nothing positive in training) gets what the average listener would play.
   */
  async recommend(userId: string, opts: RecommendOptions = {}): Promise<Recommendation[]> {
    const u = this.data.users.get(userId);
    if (u === undefined) throw new RangeError(`recommend: unknown user '${userId}' (fold the user in with foldIn)`);
    const n = this.cappedN('recommend', opts.n ?? 10);
    const excludeSeen = opts.excludeSeen ?? true;
    // One row of factors and of exclusions: the addon checks every array it is given, and the
    // whole `seen` index of a million users is megabytes to check for one user.
    const k = this.factors;
    const seen = this.data.seen;
    const exclude = excludeSeen ? { indptr: Int32Array.of(0, seen.indptr[u + 1] - seen.indptr[u]), indices: seen.indices.subarray(seen.indptr[u], seen.indptr[u + 1]) } : undefined;
    const query = hasTaste(this.data, u) ? this.data.userFactors.subarray(u * k, (u + 1) * k) : averageTasteOf(this.data);
    const block = await this.topK(query, n, exclude);
    return this.toRecommendations(block.items, block.scores, 0, n);
  }

  /** Top-n for every user (or the listed ones), in user order, a block at a time. */
  async *recommendAll(opts: RecommendAllOptions = {}): AsyncIterable<UserRecommendations> {
    for await (const b of this.recommendAllBlocks(opts)) {
      for (let i = 0; i < b.users.length; i++) {
        yield { userId: this.data.users.ids[b.users[i]], items: this.toRecommendations(b.items, b.scores, i * b.n, b.n), cold: b.cold?.[i] === 1 };
      }
    }
  }

  /** recommendAll as blocks of arrays (`batchSize` users each), in user order. */
  async *recommendAllBlocks(opts: RecommendAllOptions = {}): AsyncIterable<RecommendationBlock> {
    const n = this.cappedN('recommendAll', opts.n ?? 10);
    const batch = checkCount('recommendAll: batchSize', opts.batchSize ?? 2048);
    const concurrency = checkCount('recommendAll: concurrency', opts.concurrency ?? 2);
    const rows = opts.users ? Int32Array.from(opts.users.map((id) => this.data.users.get(id) ?? -1).filter((u) => u >= 0)) : undefined;
    const total = rows ? rows.length : this.data.users.size;
    const pending: Promise<RecommendationBlock>[] = [];
    let next = 0;
    const launch = (): void => {
      const start = next;
      const end = Math.min(total, start + batch);
      next = end;
      const users = rows ? rows.subarray(start, end) : Int32Array.from({ length: end - start }, (_, i) => start + i);
      pending.push(this.scoreBlock(rows, start, end, n).then((b) => ({ users, n, items: b.items, scores: b.scores, cold: b.cold })));
    };
    while (next < total && pending.length < concurrency) launch();
    while (pending.length > 0) {
      const block = await pending.shift()!;
      if (next < total) launch();
      yield block;
    }
  }

  /**
   * Raw top-n arrays for user rows [start, end) (or rows[start..end) of a row list): the batch
   * path. Users without taste (`cold`, null when none) are scored with the average taste.
   */
  async scoreBlock(rows: Int32Array | undefined, start: number, end: number, n: number): Promise<ScoredBlock> {
    let sub = rows?.subarray(start, end);
    let cold: Uint8Array | null = null;
    for (let i = start; i < end; i++) if (!hasTaste(this.data, sub ? sub[i - start] : i)) (cold ??= new Uint8Array(end - start))[i - start] = 1;
    if (!sub && !cold) return { ...(await this.topK(this.data.userFactors, n, this.data.seen, { begin: start, end })), cold };
    if (!sub) {
      sub = new Int32Array(end - start);
      for (let i = 0; i < sub.length; i++) sub[i] = start + i;
    }
    const k = this.factors;
    const queries = gatherFactors(this.data.userFactors, sub, k);
    if (cold) {
      const mean = averageTasteOf(this.data);
      for (let i = 0; i < sub.length; i++) if (cold[i] === 1) queries.set(mean, i * k);
    }
    return { ...(await this.topK(queries, n, gatherRows(this.data.seen, sub))), cold };
  }

  /**
   * Tracks most similar to a track by cosine similarity of item factors. A track the model learned
   * nothing about (a row of zeros: heard only by accounts the signals stage dropped, or only
   * skipped) has no neighbours, and gets none rather than every track tied at 0.
   */
  async similarTracks(trackId: string, n = 10): Promise<Recommendation[]> {
    const i = this.data.items.get(trackId);
    if (i === undefined) throw new RangeError(`similarTracks: unknown track '${trackId}'`);
    n = this.cappedN('similarTracks', n);
    const k = this.factors;
    const normalized = this.itemsNormalized();
    const query = normalized.slice(i * k, (i + 1) * k);
    if (isZeroRow(query, 0, k)) return [];
    const block = await this.topK(query, n, { indptr: Int32Array.of(0, 1), indices: Int32Array.of(i) }, { normalized: true });
    return this.toRecommendations(block.items, block.scores, 0, n);
  }

  /**
   * A user's factors from a history of (track, weight) with the item factors fixed: the one-row
   * ALS solve, on the libuv thread pool. Unknown tracks are ignored.
   */
  async foldIn(history: readonly HistoryEntry[]): Promise<Float32Array> {
    return foldInVectorAsync(this.foldInEntries(history), this.data.itemFactors, this.itemGram(), this.params);
  }

  /** foldIn on the calling thread: for worker threads and batch loops. */
  foldInSync(history: readonly HistoryEntry[]): Float32Array {
    return foldInVector(this.foldInEntries(history), this.data.itemFactors, this.itemGram(), this.params);
  }

  private foldInEntries(history: readonly HistoryEntry[]): FoldInEntry[] {
    checkHistory(history, 'foldIn: history');
    const entries: FoldInEntry[] = [];
    for (const h of history) {
      const item = this.data.items.get(h.trackId);
      if (item === undefined) continue;
      entries.push({ item, weight: h.weight ?? 1, pref: h.pref ?? 1 });
    }
    return entries;
  }

  /** Top-n for a user vector (e.g. from foldIn), excluding the given track ids. */
  async recommendVector(vector: Float32Array, opts: { n?: number; exclude?: readonly string[] } = {}): Promise<Recommendation[]> {
    const k = this.factors;
    if (!(vector instanceof Float32Array) || vector.length !== k) throw new TypeError(`recommendVector: vector must be a Float32Array of length ${k}`);
    let nonZero = false;
    for (let d = 0; d < k; d++) {
      if (!Number.isFinite(vector[d])) throw new RangeError('recommendVector: vector has non-finite values (NaN or ±Infinity)');
      if (vector[d] !== 0) nonZero = true;
    }
    // Every score would be 0 and the "top" tracks arbitrary: a foldIn of no track the model knows.
    if (!nonZero && k > 0) throw new RangeError('recommendVector: the vector is all zeros (a foldIn of a history with no track the model knows), so there is nothing to rank by');
    const n = this.cappedN('recommendVector', opts.n ?? 10);
    const ex = [...new Set((opts.exclude ?? []).map((id) => this.data.items.get(id)).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
    const block = await this.topK(vector, n, { indptr: Int32Array.of(0, ex.length), indices: Int32Array.from(ex) });
    return this.toRecommendations(block.items, block.scores, 0, n);
  }

  /** Track indices the user heard in the training data. */
  seenItems(userIndex: number): Int32Array {
    const users = this.data.users.size;
    if (!(Number.isInteger(userIndex) && userIndex >= 0 && userIndex < users)) throw new RangeError(`seenItems: user index must be an integer in [0, ${users}), got ${userIndex}`);
    return this.data.seen.indices.subarray(this.data.seen.indptr[userIndex], this.data.seen.indptr[userIndex + 1]);
  }

  itemGram(): Float32Array {
    return itemGram(this.data);
  }

  /**
   * Exact top-n over the item factors (or their unit rows) for the query rows [begin, end) (all by
   * default), exclusions indexed like the rows, with the items quantized once when built.
   */
  private async topK(queries: Float32Array, n: number, exclude: CsrArrays | undefined, o: { begin?: number; end?: number; normalized?: boolean } = {}): Promise<TopKBlock> {
    const k = this.factors;
    const itemFactors = o.normalized ? this.itemsNormalized() : this.data.itemFactors;
    const prepared = (o.normalized ? this.preparedNormalized : preparedItemsOf(this.data)).current(itemFactors, k);
    return topKRange({ userFactors: queries, itemFactors, factors: k, exclude, prepared }, o.begin ?? 0, o.end ?? queries.length / k, n);
  }

  private itemsNormalized(): Float32Array {
    if (!this.normalizedItems) {
      const k = this.factors;
      const src = this.data.itemFactors;
      const out = sharedArray(Float32Array, src.length);
      for (let r = 0; r < src.length / k; r++) {
        let norm = 0;
        for (let j = 0; j < k; j++) norm += src[r * k + j] * src[r * k + j];
        const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let j = 0; j < k; j++) out[r * k + j] = src[r * k + j] * inv;
      }
      this.normalizedItems = out;
    }
    return this.normalizedItems;
  }

  /**
   * A valid n, at most the catalog: a list never holds more tracks than there are, and a
   * caller's n of a billion must not size the result arrays.
   */
  private cappedN(call: string, n: number): number {
    return Math.min(checkCount(`${call}: n`, n), Math.max(1, this.data.items.size));
  }

  private toRecommendations(items: Int32Array, scores: Float32Array, offset: number, n: number): Recommendation[] {
    const out: Recommendation[] = [];
    for (let j = 0; j < n; j++) {
      const it = items[offset + j];
      if (it < 0) break;
      out.push({ trackId: this.data.items.ids[it], score: scores[offset + j] });
    }
    return out;
  }
}
