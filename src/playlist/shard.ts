/**
 * One shard of the weekly job: for a list of users, refresh factors from recent events, retrieve
 * candidates with every exclusion applied inside retrieval, blend in content similarity when a
 * content weight is set, re-rank, and return the playlist
 * slots (track indices, scores and reason codes). Pure computation on the shared tables; used by
 * the pool workers and by the single-user API alike. A ShardRunner keeps its scratch buffers and
 * re-ranker between shards.
 */
import { exactCandidates, exactCandidatesAsync, userQueries, type CandidateLists } from '../retrieve/candidates.js';
import { PreparedItemsCache } from '../retrieve/prepared-items.js';
import { mergeExclusions, type UserRows } from '../retrieve/exclusion-rows.js';
import { HnswIndex } from '../retrieve/hnsw.js';
import { Reranker, allocSlots, REASON_NEW_RELEASE, REASON_POPULAR, type PlaylistSlots } from '../rerank/reranker.js';
import { blendActive, HybridBlend } from '../content/hybrid-blend.js';
import { refreshQueries, type WeightedRows } from './refresh.js';
import type { PlaylistTables, ShardSettings } from './tables.js';
import { mixSeed } from '../util/random.js';
import { isZeroRow } from '../util/dot.js';

/** Seconds per phase of the weekly job (wall time in workers; CPU time when profiling on one thread). */
export interface PhaseSeconds {
  /** Re-solving the factors of users with recent events. */
  foldIn: number;
  /** Merging each user's exclusions (heard, disliked, archived) into one sorted row. */
  exclude: number;
  /** Native score + top-C (or HNSW search). */
  retrieve: number;
  /** Relevance, MMR, caps and discoveries (plus gathering each user's history and the hybrid blend). */
  rerank: number;
  /** History references of the final tracks. */
  reasons: number;
  /** Output rows and archive lines (CSV/JSONL text or Arrow IPC). */
  encode: number;
}

export function zeroPhases(): PhaseSeconds {
  return { foldIn: 0, exclude: 0, retrieve: 0, rerank: 0, reasons: 0, encode: 0 };
}

export function addPhases(into: PhaseSeconds, p: PhaseSeconds): void {
  into.foldIn += p.foldIn;
  into.exclude += p.exclude;
  into.retrieve += p.retrieve;
  into.rerank += p.rerank;
  into.reasons += p.reasons;
  into.encode += p.encode;
}

export interface ShardResult extends PlaylistSlots {
  users: Int32Array;
  /** Users whose factors were re-solved from recent events. */
  refreshed: number;
  /** Users who got fewer than `size` tracks. */
  short: number;
  /** Users without taste evidence, scored by the model's average listener (PlaylistTables.averageTaste). */
  cold: number;
  /** Seconds spent in each phase of this shard (encode is filled by whoever encodes). */
  seconds: PhaseSeconds;
}

/** A shard's queries and exclusions, with the clock readings of the phases that made them. */
interface ShardQueries {
  queries: Float32Array;
  exclude: ReturnType<typeof mergeExclusions>;
  refreshed: number;
  /** Per user of the shard: 1 when scored by the average taste; null when none is. */
  cold: Uint8Array | null;
  t0: number;
  t1: number;
  t2: number;
}

/** Milliseconds of process CPU time (user + system): a per-thread figure when one thread works. */
export function cpuClock(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

export class ShardRunner {
  private reranker?: Reranker;
  private rerankKey = '';
  private blend?: HybridBlend;
  private index?: { index: HnswIndex; defaultEf: number };
  private indexLoad?: Promise<HnswIndex>;
  private indexKey = '';
  private histItems = new Int32Array(256);
  private histWeight = new Float32Array(256);
  /** Each user's history of the current shard: row i at i × historySize, histLen[i] long. */
  private hist = new Int32Array(64);
  private histLen = new Int32Array(64);
  /** Entries of the last merged history (all positive tracks, not only the `h` kept). */
  private histCount = 0;
  private cands?: CandidateLists;

  /**
   * `clock` in ms: wall time by default; `cpuClock` profiles CPU time on a single thread.
   * `prepared` holds the tables' item factors quantized for exact retrieval (kept while they are
   * the same memory; a model's calls pass the cache they share).
   */
  constructor(
    private readonly clock: () => number = () => performance.now(),
    private readonly prepared = new PreparedItemsCache(),
  ) {}

  /** The runner's clock, ms. */
  now(): number {
    return this.clock();
  }

  /**
   * Load the HNSW index once per runner (workers keep theirs). Concurrent callers (a service's
   * overlapping weeklyPlaylist calls) share one load.
   */
  async prepare(t: PlaylistTables, s: ShardSettings): Promise<void> {
    if (s.retrieval !== 'hnsw') return;
    if (!s.indexDir) throw new Error('weekly: retrieval hnsw needs the model directory holding the index');
    const key = `${s.indexDir}|${t.itemFactors.length}`;
    if (this.indexKey !== key || !this.indexLoad) {
      this.indexKey = key;
      // Checked against the factors once per runner (a hash of the item matrix, ~0.1 s at 200,000 ×
      // 64): an index left from another model would otherwise yield plausible but wrong candidates.
      const load = HnswIndex.load(s.indexDir, t.itemFactors, t.factors);
      this.indexLoad = load;
      load.then(
        (index) => {
          if (this.indexLoad === load) this.index = { index, defaultEf: index.ef };
        },
        () => {
          if (this.indexLoad === load) this.indexLoad = undefined;
        },
      );
    }
    await this.indexLoad;
  }

  /**
   * Playlists for `users` (row indices of the tables). `seedUser` is the user index that seeds
   * the discovery draw when the tables are a one-user view (default: each row index).
   */
  run(t: PlaylistTables, s: ShardSettings, users: Int32Array, seedUser?: number): ShardResult {
    const q = this.queries(t, s, users);
    let cands: CandidateLists;
    if (s.retrieval === 'hnsw') cands = this.hnswCandidates(q, s);
    else {
      // One native call for the whole shard: the kernel packs users in super-blocks, so the item
      // matrix streams once per block of users, and the candidate buffer is reused across shards.
      const prepared = this.prepared.current(t.itemFactors, t.factors);
      cands = exactCandidates(q.queries, t.itemFactors, t.factors, s.candidates, q.exclude, { reuse: this.candidateBuffer(users.length, s.candidates), prepared });
    }
    return this.finish(t, s, users, seedUser, q, cands);
  }

  /**
   * `run` with exact retrieval on the libuv thread pool, so a service's event loop is free while
   * the item matrix is scored (several ms per user on a catalog of 200,000 tracks). The other
   * phases stay synchronous, so overlapping calls never share the scratch buffers mid-use.
   */
  async runAsync(t: PlaylistTables, s: ShardSettings, users: Int32Array, seedUser?: number): Promise<ShardResult> {
    const q = this.queries(t, s, users);
    const cands =
      s.retrieval === 'hnsw'
        ? this.hnswCandidates(q, s)
        : await exactCandidatesAsync(q.queries, t.itemFactors, t.factors, s.candidates, q.exclude, { prepared: this.prepared.current(t.itemFactors, t.factors) });
    return this.finish(t, s, users, seedUser, q, cands);
  }

  /** Query vectors (refreshed from recent events) and each user's merged exclusions. */
  private queries(t: PlaylistTables, s: ShardSettings, users: Int32Array): ShardQueries {
    const k = t.factors;
    const clock = this.clock;
    const t0 = clock();
    let queries = userQueries(t.userFactors, users, k);
    let refreshed = 0;
    if (s.foldInRecent && t.recent) {
      if (queries.buffer === t.userFactors.buffer) queries = queries.slice();
      refreshed = refreshQueries(queries, users, t.seen, t.recent, t.itemFactors, t.itemGram, t.params);
    }
    const cold = t.averageTaste ? this.coldUsers(t, users, queries) : null;
    if (cold) {
      if (queries.buffer === t.userFactors.buffer) queries = queries.slice();
      for (let i = 0; i < users.length; i++) if (cold[i] === 1) queries.set(t.averageTaste!, i * k);
    }
    const t1 = clock();
    const sources: UserRows[] = [t.seen];
    if (t.recent) sources.push(t.recent);
    if (t.dislikedTracks) sources.push(t.dislikedTracks);
    if (t.archive) sources.push(t.archive);
    const exclude = mergeExclusions({ tracks: sources, artists: t.dislikedArtists }, users);
    return { queries, exclude, refreshed, cold, t0, t1, t2: clock() };
  }

  /**
   * Flags of the users with no track left positive in their history (training and recent, as the
   * reasons see it) or a query of zeros (recent plays alone, not folded in), or null when there
   * are none. Their own factors are zero (no entries, or an account judged not human) or near it
   * (skips alone), so every track would score about alike.
   */
  private coldUsers(t: PlaylistTables, users: Int32Array, queries: Float32Array): Uint8Array | null {
    const k = t.factors;
    let cold: Uint8Array | null = null;
    for (let i = 0; i < users.length; i++) {
      if (this.mergeHistory(t.seen, t.recent, users[i]) > 0 && !isZeroRow(queries, i * k, k)) continue;
      cold ??= new Uint8Array(users.length);
      cold[i] = 1;
    }
    return cold;
  }

  private hnswCandidates(q: ShardQueries, s: ShardSettings): CandidateLists {
    if (!this.index) throw new Error('weekly: ShardRunner.prepare must load the HNSW index first');
    // ef is a per-call setting: set it here, synchronously with the search, so overlapping calls
    // with different ef (or none: the index's own) never search with each other's.
    this.index.index.setEf(s.ef ?? this.index.defaultEf);
    return this.index.index.candidates(q.queries, s.candidates, q.exclude);
  }

  /** Re-rank the candidates and explain the picks. */
  private finish(t: PlaylistTables, s: ShardSettings, users: Int32Array, seedUser: number | undefined, q: ShardQueries, cands: CandidateLists): ShardResult {
    const clock = this.clock;
    const t3 = clock();
    const rr = this.rerankerFor(t, s);
    const blend = this.blendFor(t, s);
    const size = rr.opts.size;
    const out = allocSlots(users.length, size);
    let short = 0;
    const C = cands.width;
    const h = s.historySize;
    if (this.hist.length < users.length * h) this.hist = new Int32Array(users.length * h);
    if (this.histLen.length < users.length) this.histLen = new Int32Array(users.length);
    for (let i = 0; i < users.length; i++) {
      const history = this.history(t.seen, t.recent, users[i], h, i);
      const items = cands.items.subarray(i * C, (i + 1) * C);
      const scores = cands.scores.subarray(i * C, (i + 1) * C);
      // The profile is the user's whole positive history (training + recent, net of skips).
      if (blend && blend.setProfile(this.histItems, this.histWeight, this.histCount)) blend.apply(items, scores);
      const n = rr.select(items, scores, history, mixSeed(seedUser ?? users[i], s.weekKey), out, i);
      if (n < size) short++;
    }
    const t4 = clock();
    for (let i = 0; i < users.length; i++) rr.explain(this.hist.subarray(i * h, i * h + this.histLen[i]), out, i);
    const cold = q.cold ? popularReasons(q.cold, out) : 0;
    const t5 = clock();
    const sec = (a: number, b: number): number => (b - a) / 1000;
    return {
      ...out,
      users,
      refreshed: q.refreshed,
      short,
      cold,
      seconds: { foldIn: sec(q.t0, q.t1), exclude: sec(q.t1, q.t2), retrieve: sec(q.t2, t3), rerank: sec(t3, t4), reasons: sec(t4, t5), encode: 0 },
    };
  }

  private candidateBuffer(users: number, width: number): CandidateLists {
    const c = this.cands;
    if (c && c.width === width && c.items.length >= users * width) {
      return { width, items: c.items.subarray(0, users * width), scores: c.scores.subarray(0, users * width) };
    }
    this.cands = { width, items: new Int32Array(users * width), scores: new Float32Array(users * width) };
    return this.cands;
  }

  private rerankerFor(t: PlaylistTables, s: ShardSettings): Reranker {
    // Keyed without asOf: building the per-track tables takes tens of ms at 200,000 tracks, and a
    // service calling with asOf = now would rebuild them on every call.
    const key = JSON.stringify([{ ...s.rerank, asOf: undefined }, s.candidates, t.features.artist.length]);
    if (!this.reranker || this.rerankKey !== key || this.reranker.features.artist !== t.features.artist) {
      this.reranker = new Reranker(t.features, s.rerank, s.candidates);
      this.rerankKey = key;
    }
    if (s.rerank.asOf !== undefined) this.reranker.setAsOf(s.rerank.asOf);
    return this.reranker;
  }

  /** The hybrid stage for these tables and weights (kept while they stay the same), or undefined when off. */
  private blendFor(t: PlaylistTables, s: ShardSettings): HybridBlend | undefined {
    const w = s.hybrid;
    if (!blendActive(w)) return undefined;
    const c = t.content;
    if (!c) throw new Error('weekly: a content weight needs content vectors: the model carries no content model (train it with a catalog), or none of its tracks has content');
    if (c.unit.length !== (t.itemFactors.length / t.factors) * c.dim) {
      throw new RangeError(`weekly: content vectors of length ${c.unit.length} do not cover the model's ${t.itemFactors.length / t.factors} tracks × ${c.dim}`);
    }
    const b = this.blend;
    if (b && b.unitContent === c.unit && b.dim === c.dim && b.weights.cf === w.cf && b.weights.content === w.content) return b;
    this.blend = new HybridBlend(c.unit, c.dim, w);
    return this.blend;
  }

  /** The user's `h` most weighted positive history tracks (training + recent), best first, as row `row` of the shard's histories. */
  private history(seen: WeightedRows, recent: WeightedRows | undefined, u: number, h: number, row: number): Int32Array {
    const n = this.mergeHistory(seen, recent, u);
    this.histCount = n;
    const base = row * h;
    // Partial selection of the h heaviest.
    let got = 0;
    while (got < h && got < n) {
      let best = got;
      for (let q = got + 1; q < n; q++) if (this.histWeight[q] > this.histWeight[best]) best = q;
      const it = this.histItems[best];
      const wt = this.histWeight[best];
      this.histItems[best] = this.histItems[got];
      this.histWeight[best] = this.histWeight[got];
      this.histItems[got] = it;
      this.histWeight[got] = wt;
      this.hist[base + got] = it;
      got++;
    }
    this.histLen[row] = got;
    return this.hist.subarray(base, base + got);
  }

  /**
   * Row u of `seen` and of `recent` merged by track into the history scratch: a track in both
   * (replayed, or skipped since training) counts once, with its signed evidence summed, and only
   * tracks left positive are kept. Rows are sorted, so this is one two-pointer pass. Returns the count.
   */
  private mergeHistory(seen: WeightedRows, recent: WeightedRows | undefined, u: number): number {
    let p = u + 1 < seen.indptr.length ? seen.indptr[u] : 0;
    const pe = u + 1 < seen.indptr.length ? seen.indptr[u + 1] : 0;
    let q = recent && u + 1 < recent.indptr.length ? recent.indptr[u] : 0;
    const qe = recent && u + 1 < recent.indptr.length ? recent.indptr[u + 1] : 0;
    let n = 0;
    while (p < pe || q < qe) {
      const a = p < pe ? seen.indices[p] : Infinity;
      const b = q < qe ? recent!.indices[q] : Infinity;
      const item = a <= b ? a : b;
      let w = 0;
      if (a === item) w += signedWeight(seen, p++);
      if (b === item) w += signedWeight(recent!, q++);
      if (w <= 0) continue;
      if (n === this.histItems.length) this.growHistory();
      this.histItems[n] = item;
      this.histWeight[n] = w;
      n++;
    }
    return n;
  }

  private growHistory(): void {
    const items = new Int32Array(this.histItems.length * 2 || 64);
    items.set(this.histItems);
    this.histItems = items;
    const weights = new Float32Array(items.length);
    weights.set(this.histWeight);
    this.histWeight = weights;
  }
}

/**
 * The slots of the cold users' playlists explained as what they are, tracks the average listener
 * would play (a new release keeps its artist, when it names one). Returns the cold users' count.
 */
function popularReasons(cold: Uint8Array, out: PlaylistSlots): number {
  let users = 0;
  for (let i = 0; i < cold.length; i++) {
    if (cold[i] === 0) continue;
    users++;
    for (let o = i * out.size; o < i * out.size + out.count[i]; o++) {
      if (out.reason[o] === REASON_NEW_RELEASE && out.refA[o] >= 0) continue;
      out.reason[o] = REASON_POPULAR;
      out.refA[o] = -1;
      out.refB[o] = -1;
    }
  }
  return users;
}

/** Evidence of entry p with its sign: weight for positive entries, −weight for negative ones. */
function signedWeight(m: WeightedRows, p: number): number {
  return m.pref[p] > 0 ? m.weight[p] : -m.weight[p];
}
