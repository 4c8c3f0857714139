/**
 * Re-ranking one user's candidates into a playlist:
 *   relevance  = score × (1 + popularity)^−β  (popularity debiasing), scaled to the user's best,
 *                + freshness boost × 0.5^(age / half-life) for recent releases;
 *   core picks = MMR over the best `mmrPool` candidates: argmax λ·rel − (1−λ)·max-sim-to-picked,
 *                under a per-artist cap and an optional per-genre share;
 *   discoveries = `explorationShare` of the slots drawn (seeded Gumbel-top-k on rel / T) from
 *                candidates that fit the taste (rel ≥ a floor) but are less popular;
 *   reasons    = from the terms that placed each track (similar history tracks, a fresh release of
 *                a liked artist, a discovery near a history track).
 * Candidates are assumed already free of heard, disliked and archived tracks (retrieval excludes
 * them inside the kernel). One Reranker per worker/shard: all scratch buffers are reused.
 */
import { rowDots, scoreTopK } from '../native/index.js';
import type { ItemFeatures } from './item-features.js';
import { popularityQuantile } from './item-features.js';
import { MaxHeap } from './max-heap.js';
import { Mulberry32 } from '../util/random.js';
import { resolveRerankOptions, type RerankOptions, type ResolvedRerankOptions } from './options.js';

export const REASON_SIMILAR = 0;
export const REASON_NEW_RELEASE = 1;
export const REASON_DISCOVERY = 2;
/** A listener without taste evidence: the track is scored by the model's average listener. */
export const REASON_POPULAR = 3;

/** History tracks considered for each slot's reason: the most similar few. */
const REASON_CANDIDATES = 4;
/**
 * A history track within this share of the best cosine may stand in for it as a reason, when it
 * has been cited less in the playlist: one central track otherwise explained most of a list.
 */
const REASON_NEAR_BEST = 0.9;

/** Output rows of a block of users: `size` slots per user, `count[u]` of them filled. */
export interface PlaylistSlots {
  size: number;
  items: Int32Array;
  scores: Float32Array;
  reason: Uint8Array;
  /** Reason arguments: history track indices (similar, discovery) or the artist (new release); −1 none. */
  refA: Int32Array;
  refB: Int32Array;
  count: Int32Array;
}

export function allocSlots(users: number, size: number): PlaylistSlots {
  const n = users * size;
  return {
    size,
    items: new Int32Array(n).fill(-1),
    scores: new Float32Array(n),
    reason: new Uint8Array(n),
    refA: new Int32Array(n).fill(-1),
    refB: new Int32Array(n).fill(-1),
    count: new Int32Array(users),
  };
}

const DAY_MS = 86_400_000;
const TIER_CORE = 0;
const TIER_DISCOVERY = 1;

export class Reranker {
  readonly opts: ResolvedRerankOptions;
  private readonly popFactor: Float32Array;
  private readonly discoveryPop: number;
  private readonly genreCap: number;
  private readonly rel: Float32Array;
  private readonly maxSim: Float32Array;
  /** Picks already folded into maxSim per candidate (lazy MMR). */
  private readonly simUpTo: Int32Array;
  /**
   * simToPick[s · width + p]: the diversity similarity of candidate p and the s-th pick, all of a
   * pick's computed in one native call when it is made. The lazy MMR reads only the few it needs,
   * but a call of the whole row costs less than a JS dot product each.
   */
  private readonly simToPick: Float64Array;
  /** Candidates of the user being re-ranked (items before the −1 padding). */
  private count = 0;
  private readonly key: Float32Array;
  private readonly picked: Uint8Array;
  private readonly fresh: Uint8Array;
  private readonly order: Int32Array;
  private readonly sel: Int32Array;
  private readonly selTier: Uint8Array;
  private readonly artistCount: Int32Array;
  private readonly genreCount: Int32Array;
  private readonly liked: Uint8Array;
  /** Packed (quantized −rel, candidate) sort keys: a native numeric sort, no comparator. */
  private readonly sortKey: Float64Array;
  private readonly slotBits: number;
  private nSel = 0;
  private poolSize = 0;
  /** The lazy MMR's candidates (ids: candidate) and the discovery draw's (ids: relevance rank). */
  private readonly heap: MaxHeap;
  private readonly discoveryHeap: MaxHeap;
  private relaxGenre = false;
  /** Scratch of `explain`: gathered slot and history vectors, exclusions, top candidates, citations. */
  private slotVecs = new Float32Array(0);
  private histVecs = new Float32Array(0);
  private exclPtr = new Int32Array(1);
  private exclIdx = new Int32Array(0);
  private cites = new Int32Array(0);
  private readonly refItems: Int32Array;
  private readonly refScores: Float32Array;
  private readonly rng = new Mulberry32(0);

  constructor(
    readonly features: ItemFeatures,
    options: RerankOptions,
    /** Candidates per user this reranker will see at most. */
    readonly width: number,
  ) {
    this.opts = resolveRerankOptions(options);
    if (!Number.isInteger(width) || width < 1 || width > 1 << 20) throw new RangeError(`rerank: candidates per user must be an integer in [1, ${1 << 20}], got ${width}`);
    const o = this.opts;
    const items = features.artist.length;
    this.popFactor = new Float32Array(items);
    for (let i = 0; i < items; i++) this.popFactor[i] = Math.pow(1 + Math.max(0, features.popularity[i]), -o.popularityPenalty);
    this.discoveryPop = popularityQuantile(features.popularity, o.discoveryQuantile);
    this.genreCap = Math.max(1, Math.floor(o.maxGenreShare * o.size + 1e-9));
    let genres = 0;
    if (features.genre) for (let i = 0; i < items; i++) genres = Math.max(genres, features.genre[i] + 1);
    this.rel = new Float32Array(width);
    this.maxSim = new Float32Array(width);
    this.simUpTo = new Int32Array(width);
    this.simToPick = new Float64Array(o.size * width);
    this.key = new Float32Array(width);
    this.picked = new Uint8Array(width);
    this.fresh = new Uint8Array(width);
    this.order = new Int32Array(width);
    this.sel = new Int32Array(o.size);
    this.selTier = new Uint8Array(o.size);
    this.artistCount = new Int32Array(Math.max(1, features.artists));
    this.genreCount = new Int32Array(Math.max(1, genres));
    this.liked = new Uint8Array(Math.max(1, features.artists));
    this.sortKey = new Float64Array(width);
    this.heap = new MaxHeap(width);
    this.discoveryHeap = new MaxHeap(width);
    this.slotBits = 2 ** Math.ceil(Math.log2(Math.max(2, width)));
    this.refItems = new Int32Array(REASON_CANDIDATES * o.size);
    this.refScores = new Float32Array(REASON_CANDIDATES * o.size);
  }

  /**
   * Move the reference time of freshness: the one option a service changes on every call (asOf =
   * now), and the only one that needs none of the per-track tables rebuilt.
   */
  setAsOf(asOf: number): void {
    this.opts.asOf = resolveRerankOptions({ asOf }).asOf;
  }

  /**
   * Fill row `row` of `out` from one user's candidates (`items`/`scores`, best first, −1 padded).
   * `history` lists the user's liked/played track indices most weighted first (for reasons and
   * "artists you like"); `userKey` seeds the discovery draw (e.g. mix of user index and week).
   */
  rerank(items: Int32Array, scores: Float32Array, history: Int32Array, userKey: number, out: PlaylistSlots, row: number): number {
    const n = this.select(items, scores, history, userKey, out, row);
    this.explain(history, out, row);
    return n;
  }

  /**
   * The selection half of `rerank`: fills row `row` of `out` (tracks, scores, reason codes, the
   * artist of new-release reasons) but leaves the history references of the other reasons at −1;
   * `explain` fills them. Split so reasons are computed (and timed) only for the final tracks.
   */
  select(items: Int32Array, scores: Float32Array, history: Int32Array, userKey: number, out: PlaylistSlots, row: number): number {
    const o = this.opts;
    const f = this.features;
    const c = this.countCandidates(items);
    this.count = c;
    this.nSel = 0;
    this.relaxGenre = false;
    this.rng.state = (userKey ^ Math.imul(o.seed, 0x9e3779b1)) | 0 || 0x1e3779b9;
    // Relevance: debiased score relative to the user's best, plus the freshness boost.
    let best = 0;
    for (let p = 0; p < c; p++) {
      const s = scores[p];
      const pf = this.popFactor[items[p]];
      const r = s >= 0 ? s * pf : s / pf;
      this.rel[p] = r;
      if (r > best) best = r;
    }
    const inv = best > 0 ? 1 / best : 1;
    const boost = o.freshnessBoost;
    const hl = o.freshnessHalfLifeDays * DAY_MS;
    for (let p = 0; p < c; p++) {
      this.rel[p] *= inv;
      this.picked[p] = 0;
      this.maxSim[p] = 0;
      this.simUpTo[p] = 0;
      this.fresh[p] = 0;
      this.order[p] = p;
      if (boost > 0 && f.releaseMs) {
        const age = o.asOf - f.releaseMs[items[p]];
        if (age >= 0) {
          const b = boost * Math.pow(0.5, age / hl);
          this.rel[p] += b;
          if (b >= boost * 0.25) this.fresh[p] = 1;
        }
      }
    }
    this.sortByRel(c);
    this.poolSize = Math.min(c, o.mmrPool);
    this.buildHeap();

    const size = o.size;
    const nDisc = Math.min(size, Math.round(o.explorationShare * size));
    this.mmr(items, size - nDisc);
    const disc = this.discover(items, nDisc);
    this.mmr(items, size);
    if (this.nSel < size && this.poolSize < c) {
      this.poolSize = c;
      this.buildHeap();
      this.mmr(items, size);
    }
    if (this.nSel < size && o.maxGenreShare < 1) {
      // The genre spread is a soft goal: relax it rather than return a short playlist.
      this.relaxGenre = true;
      this.buildHeap();
      this.mmr(items, size);
    }
    this.emit(items, scores, history, disc, out, row);
    // Reset the per-artist and per-genre counts touched by this user.
    for (let s = 0; s < this.nSel; s++) {
      const it = items[this.sel[s]];
      const a = f.artist[it];
      if (a >= 0) this.artistCount[a] = 0;
      if (f.genre && f.genre[it] >= 0) this.genreCount[f.genre[it]] = 0;
    }
    return this.nSel;
  }

  /**
   * order[0..c) = candidates by relevance, best first, ties to the earlier candidate. Keys pack
   * round(−rel·2²⁴) and the candidate index into one exact double (rel is clamped to ±64).
   */
  private sortByRel(c: number): void {
    const bits = this.slotBits;
    const key = this.sortKey.subarray(0, c);
    for (let p = 0; p < c; p++) {
      const r = this.rel[p];
      const q = Math.round(-(r > 64 ? 64 : r < -64 ? -64 : r) * 16777216);
      key[p] = q * bits + p;
    }
    key.sort();
    for (let i = 0; i < c; i++) {
      const v = key[i];
      const q = Math.floor(v / bits);
      this.order[i] = v - q * bits;
    }
  }

  private allowed(items: Int32Array, p: number): boolean {
    if (this.picked[p] === 1) return false;
    const it = items[p];
    const a = this.features.artist[it];
    if (a >= 0 && this.artistCount[a] >= this.opts.artistCap) return false;
    const g = this.features.genre ? this.features.genre[it] : -1;
    if (g >= 0 && !this.relaxGenre && this.genreCount[g] >= this.genreCap) return false;
    return true;
  }

  private pick(items: Int32Array, p: number, tier: number): void {
    const f = this.features;
    const it = items[p];
    this.picked[p] = 1;
    this.sel[this.nSel] = p;
    this.selTier[this.nSel] = tier;
    this.nSel++;
    const a = f.artist[it];
    if (a >= 0) this.artistCount[a]++;
    if (f.genre && f.genre[it] >= 0) this.genreCount[f.genre[it]]++;
    // The similarities to this pick, for the lazy MMR's refreshes (none follow the last pick).
    if (this.opts.lambda < 1 && this.nSel < this.opts.size) rowDots(f.diversity, f.diversityDim, items, this.count, it, this.simToPick, (this.nSel - 1) * this.width);
  }

  /** MMR value of candidate p with its current (possibly stale, hence optimistic) max-similarity. */
  private value(p: number): number {
    const lambda = this.opts.lambda;
    return lambda * this.rel[p] - (1 - lambda) * this.maxSim[p];
  }

  /** A max-heap of the unpicked pool members keyed by their MMR value. */
  private buildHeap(): void {
    this.heap.clear();
    for (let q = 0; q < this.poolSize; q++) {
      const p = this.order[q];
      if (this.picked[p] !== 1) this.heap.add(p, this.value(p));
    }
    this.heap.heapify();
  }

  /**
   * Greedy MMR until `target` tracks are picked or nothing is allowed. Lazy: a candidate's
   * max-similarity only grows as tracks are picked, so its heap key is an upper bound; the top is
   * brought up to date and re-sifted until an up-to-date candidate leads, which is then the true
   * argmax. Candidates blocked by a cap stay blocked for the rest of the user (counts only grow).
   */
  private mmr(items: Int32Array, target: number): void {
    const diverse = this.opts.lambda < 1;
    const heap = this.heap;
    while (this.nSel < target && heap.size > 0) {
      const p = heap.topId;
      if (this.picked[p] === 1 || !this.allowed(items, p)) {
        heap.pop();
        continue;
      }
      if (diverse && this.simUpTo[p] < this.nSel) {
        this.refreshSim(p);
        heap.lowerTop(this.value(p));
        continue;
      }
      heap.pop();
      this.pick(items, p, TIER_CORE);
    }
  }

  /** Fold the picks made since candidate p was last updated into its max-similarity. */
  private refreshSim(p: number): void {
    const sim = this.simToPick;
    const w = this.width;
    let m = this.maxSim[p];
    for (let s = this.simUpTo[p]; s < this.nSel; s++) {
      const dot = sim[s * w + p];
      if (dot > m) m = dot;
    }
    this.maxSim[p] = m;
    this.simUpTo[p] = this.nSel;
  }

  /**
   * Seeded draw of up to n discoveries among less popular, fitting tracks: each step takes the
   * best MMR value / T plus the candidate's fixed Gumbel noise (with λ = 1, Gumbel-top-k over
   * rel / T), so discoveries also keep away from the tracks already picked.
   */
  private discover(items: Int32Array, n: number): number {
    if (n <= 0) return 0;
    const o = this.opts;
    const invT = 1 / o.explorationTemperature;
    const diverse = o.lambda < 1;
    // Each eligible candidate's Gumbel key is drawn once; the draw takes the largest value·(1/T)
    // + key. Values only fall as tracks are picked, so the heap's keys are upper bounds and only
    // the leaders' similarities are brought up to date, as in the lazy MMR.
    const heap = this.discoveryHeap;
    heap.clear();
    const count = this.count;
    for (let q = 0; q < count; q++) {
      const p = this.order[q];
      if (this.picked[p] === 1 || this.rel[p] < o.discoveryMinRelevance || this.features.popularity[items[p]] > this.discoveryPop) continue;
      this.key[q] = -Math.log(-Math.log(this.rng.nextOpen()));
      heap.add(q, this.value(p) * invT + this.key[q]);
    }
    heap.heapify();
    let got = 0;
    while (got < n && heap.size > 0) {
      const q = heap.topId;
      const p = this.order[q];
      if (diverse && this.simUpTo[p] < this.nSel) {
        this.refreshSim(p);
        heap.lowerTop(this.value(p) * invT + this.key[q]);
        continue;
      }
      heap.pop();
      if (!this.allowed(items, p)) continue;
      this.pick(items, p, TIER_DISCOVERY);
      got++;
    }
    return got;
  }


  private countCandidates(items: Int32Array): number {
    let c = 0;
    while (c < items.length && c < this.width && items[c] >= 0) c++;
    return c;
  }

  /** Core picks in pick order with the discoveries spread evenly between them, plus reasons. */
  private emit(items: Int32Array, scores: Float32Array, history: Int32Array, disc: number, out: PlaylistSlots, row: number): void {
    const f = this.features;
    const n = this.nSel;
    const base = row * out.size;
    for (let h = 0; h < history.length; h++) {
      const a = f.artist[history[h]];
      if (a >= 0) this.liked[a] = 1;
    }
    let ci = 0;
    let di = 0;
    for (let slot = 0; slot < n; slot++) {
      // Slot `slot` holds a discovery when the even spread of `disc` over n slots steps here.
      const wantDisc = disc > 0 && Math.floor(((slot + 1) * disc) / n) > Math.floor((slot * disc) / n);
      let s = -1;
      if (wantDisc) s = nextOfTier(this.selTier, n, di, TIER_DISCOVERY);
      if (s < 0) s = nextOfTier(this.selTier, n, ci, TIER_CORE);
      if (s < 0) s = nextOfTier(this.selTier, n, di, TIER_DISCOVERY);
      const tier = this.selTier[s];
      if (tier === TIER_DISCOVERY) di = s + 1;
      else ci = s + 1;
      this.selTier[s] = 255; // consumed
      const p = this.sel[s];
      const it = items[p];
      const o = base + slot;
      out.items[o] = it;
      out.scores[o] = scores[p];
      const a = f.artist[it];
      out.refA[o] = -1;
      out.refB[o] = -1;
      if (tier === TIER_DISCOVERY) out.reason[o] = REASON_DISCOVERY;
      else if (this.fresh[p] === 1 && a >= 0 && this.liked[a] === 1) {
        out.reason[o] = REASON_NEW_RELEASE;
        out.refA[o] = a;
        out.refB[o] = -1;
      } else out.reason[o] = REASON_SIMILAR;
    }
    for (let slot = n; slot < out.size; slot++) {
      out.items[base + slot] = -1;
      out.refA[base + slot] = -1;
      out.refB[base + slot] = -1;
    }
    out.count[row] = n;
    for (let h = 0; h < history.length; h++) {
      const a = f.artist[history[h]];
      if (a >= 0) this.liked[a] = 0;
    }
  }

  /**
   * History references of row `row`'s filled slots (all but new releases, which name an artist):
   * two of the history tracks most similar to each slot by factor cosine, from one native score +
   * top-k call over the gathered vectors (slots × history), ties to the more weighted history track.
   * In playlist order, each reference is the least cited so far among the tracks within
   * REASON_NEAR_BEST of the slot's best cosine (the best itself on a tie), so the reasons spread
   * over the history instead of naming its most central track again and again.
   */
  explain(history: Int32Array, out: PlaylistSlots, row: number): void {
    const base = row * out.size;
    const n = out.count[row];
    const h = history.length;
    if (n === 0) return;
    if (h === 0) {
      for (let s = 0; s < n; s++) if (out.reason[base + s] !== REASON_NEW_RELEASE) (out.refA[base + s] = -1), (out.refB[base + s] = -1);
      return;
    }
    const f = this.features;
    const k = f.factors;
    const u = f.unitFactors;
    if (this.slotVecs.length < n * k) this.slotVecs = new Float32Array(out.size * k);
    if (this.histVecs.length < h * k) this.histVecs = new Float32Array(h * k);
    if (this.exclPtr.length < n + 1) this.exclPtr = new Int32Array(out.size + 1);
    if (this.exclIdx.length < n * h) this.exclIdx = new Int32Array(n * h);
    for (let j = 0; j < h; j++) this.histVecs.set(u.subarray(history[j] * k, (history[j] + 1) * k), j * k);
    // A history track is never its own reason (retrieval excludes heard tracks, so this is rare).
    let ne = 0;
    for (let s = 0; s < n; s++) {
      const it = out.items[base + s];
      this.slotVecs.set(u.subarray(it * k, (it + 1) * k), s * k);
      for (let j = 0; j < h; j++) if (history[j] === it) this.exclIdx[ne++] = j;
      this.exclPtr[s + 1] = ne;
    }
    const m = REASON_CANDIDATES;
    scoreTopK({
      U: this.slotVecs.subarray(0, n * k),
      V: this.histVecs.subarray(0, h * k),
      factors: k,
      userBegin: 0,
      userEnd: n,
      n: m,
      exclude: { indptr: this.exclPtr.subarray(0, n + 1), indices: this.exclIdx.subarray(0, ne) },
      outItems: this.refItems.subarray(0, m * n),
      outScores: this.refScores.subarray(0, m * n),
    });
    if (this.cites.length < h) this.cites = new Int32Array(h);
    this.cites.fill(0, 0, h);
    for (let s = 0; s < n; s++) {
      const o = base + s;
      if (out.reason[o] === REASON_NEW_RELEASE) continue;
      const a = this.leastCited(s * m, -1);
      const b = this.leastCited(s * m, a);
      if (a >= 0) this.cites[a]++;
      if (b >= 0) this.cites[b]++;
      out.refA[o] = a >= 0 ? history[a] : -1;
      out.refB[o] = b >= 0 ? history[b] : -1;
    }
  }

  /**
   * Among a slot's candidate references at refItems[at, at + REASON_CANDIDATES) (best first, −1
   * past the last), other than `taken`: the least cited of those within REASON_NEAR_BEST of the
   * best cosine, the more similar on a tie; when none is, the most similar one left. −1 if none.
   */
  private leastCited(at: number, taken: number): number {
    const best = this.refScores[at];
    const floor = best > 0 ? best * REASON_NEAR_BEST : best;
    let pick = -1;
    let next = -1;
    for (let j = at; j < at + REASON_CANDIDATES; j++) {
      const c = this.refItems[j];
      if (c < 0) break;
      if (c === taken) continue;
      if (next < 0) next = c;
      if (this.refScores[j] < floor) break;
      if (pick < 0 || this.cites[c] < this.cites[pick]) pick = c;
    }
    return pick >= 0 ? pick : next;
  }
}

/** First selection index ≥ from with the given tier, or −1. */
function nextOfTier(tiers: Uint8Array, n: number, from: number, tier: number): number {
  for (let s = from; s < n; s++) if (tiers[s] === tier) return s;
  return -1;
}
