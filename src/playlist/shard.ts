/**
 * One shard of the weekly job: for a list of users, refresh factors from recent events, retrieve
 * candidates with every exclusion applied inside retrieval, re-rank, and return the playlist
 * slots (track indices, scores and reason codes). Pure computation on the shared tables; used by
 * the pool workers and by the single-user API alike. A ShardRunner keeps its scratch buffers and
 * re-ranker between shards.
 */
import { exactCandidates, userQueries, type CandidateLists } from '../retrieve/candidates.js';
import { mergeExclusions, type UserRows } from '../retrieve/exclusion-rows.js';
import { HnswIndex } from '../retrieve/hnsw.js';
import { Reranker, allocSlots, type PlaylistSlots } from '../rerank/reranker.js';
import { refreshQueries, type WeightedRows } from './refresh.js';
import type { PlaylistTables, ShardSettings } from './tables.js';
import { mixKey } from './week.js';

export interface ShardResult extends PlaylistSlots {
  users: Int32Array;
  /** Users whose factors were re-solved from recent events. */
  refreshed: number;
  /** Users who got fewer than `size` tracks. */
  short: number;
  /** Seconds spent in each phase of this shard. */
  seconds: { foldIn: number; retrieve: number; rerank: number };
}

export class ShardRunner {
  private reranker?: Reranker;
  private rerankKey = '';
  private index?: HnswIndex;
  private indexKey = '';
  private histItems = new Int32Array(256);
  private histWeight = new Float32Array(256);
  private hist = new Int32Array(64);

  /** Load the HNSW index once per runner (workers keep theirs). */
  async prepare(t: PlaylistTables, s: ShardSettings): Promise<void> {
    if (s.retrieval !== 'hnsw') return;
    if (!s.indexDir) throw new Error('weekly: retrieval hnsw needs the model directory holding the index');
    const key = `${s.indexDir}|${t.itemFactors.length}`;
    if (this.index && this.indexKey === key) {
      if (s.ef) this.index.setEf(s.ef);
      return;
    }
    this.index = await HnswIndex.load(s.indexDir, t.itemFactors, t.factors, { ef: s.ef, verify: false });
    this.indexKey = key;
  }

  /**
   * Playlists for `users` (row indices of the tables). `seedUser` is the user index that seeds
   * the discovery draw when the tables are a one-user view (default: each row index).
   */
  run(t: PlaylistTables, s: ShardSettings, users: Int32Array, seedUser?: number): ShardResult {
    const k = t.factors;
    const t0 = performance.now();
    let queries = userQueries(t.userFactors, users, k);
    let refreshed = 0;
    if (s.foldInRecent && t.recent) {
      if (queries.buffer === t.userFactors.buffer) queries = queries.slice();
      refreshed = refreshQueries(queries, users, t.seen, t.recent, t.itemFactors, t.itemGram, t.params);
    }
    const t1 = performance.now();
    const sources: UserRows[] = [t.seen];
    if (t.recent) sources.push(t.recent);
    if (t.dislikedTracks) sources.push(t.dislikedTracks);
    if (t.archive) sources.push(t.archive);
    const exclude = mergeExclusions({ tracks: sources, artists: t.dislikedArtists }, users);
    let cands: CandidateLists;
    if (s.retrieval === 'hnsw') {
      if (!this.index) throw new Error('weekly: ShardRunner.prepare must load the HNSW index first');
      cands = this.index.candidates(queries, s.candidates, exclude);
    } else {
      cands = exactCandidates(queries, t.itemFactors, k, s.candidates, exclude);
    }
    const t2 = performance.now();
    const rr = this.rerankerFor(t, s);
    const size = rr.opts.size;
    const out = allocSlots(users.length, size);
    let short = 0;
    const C = cands.width;
    for (let i = 0; i < users.length; i++) {
      const history = this.history(t.seen, t.recent, users[i], s.historySize);
      const n = rr.rerank(cands.items.subarray(i * C, (i + 1) * C), cands.scores.subarray(i * C, (i + 1) * C), history, mixKey(seedUser ?? users[i], s.weekKey), out, i);
      if (n < size) short++;
    }
    const t3 = performance.now();
    return { ...out, users, refreshed, short, seconds: { foldIn: (t1 - t0) / 1000, retrieve: (t2 - t1) / 1000, rerank: (t3 - t2) / 1000 } };
  }

  private rerankerFor(t: PlaylistTables, s: ShardSettings): Reranker {
    const key = JSON.stringify([s.rerank, s.candidates, t.features.artist.length]);
    if (!this.reranker || this.rerankKey !== key || this.reranker.features.artist !== t.features.artist) {
      this.reranker = new Reranker(t.features, s.rerank, s.candidates);
      this.rerankKey = key;
    }
    return this.reranker;
  }

  /** The user's `h` most weighted positive history tracks (training + recent), best first. */
  private history(seen: WeightedRows, recent: WeightedRows | undefined, u: number, h: number): Int32Array {
    let n = this.takeRows(seen, u, 0);
    if (recent) n = this.takeRows(recent, u, n);
    if (this.hist.length < h) this.hist = new Int32Array(h);
    // Partial selection of the h heaviest (duplicates across sources are harmless for reasons).
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
      this.hist[got] = it;
      got++;
    }
    return this.hist.subarray(0, got);
  }

  /** Append row u's positive entries of m to the history scratch from position n; returns the new count. */
  private takeRows(m: WeightedRows, u: number, n: number): number {
    if (u + 1 >= m.indptr.length) return n;
    for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) {
      if (m.pref[p] <= 0) continue;
      if (n === this.histItems.length) {
        const items = new Int32Array(n * 2);
        items.set(this.histItems);
        this.histItems = items;
        const weights = new Float32Array(n * 2);
        weights.set(this.histWeight);
        this.histWeight = weights;
      }
      this.histItems[n] = m.indices[p];
      this.histWeight[n] = m.weight[p];
      n++;
    }
    return n;
  }
}
