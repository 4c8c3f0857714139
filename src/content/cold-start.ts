/**
 * Recommendations for users the model has (almost) nothing on.
 *
 * - A user with a few interactions and/or onboarding picks is folded in with the one-row ALS solve
 *   (`Model.foldIn`, item factors fixed). An artist pick stands for that artist's most popular
 *   tracks (`tracksPerArtist`, default 5), each an entry of weight `pickWeight`; a track pick is
 *   one entry. Heard and picked tracks are not recommended back; an artist's expanded tracks may
 *   be, since the user chose the artist, not those tracks.
 * - A user with nothing gets popularity — regional when the region is known, else global — with a
 *   light genre prior: score = log(1 + pop) / log(1 + max pop) + γ · g, where g is how much the
 *   track's genres are wanted (the onboarding genres if any were chosen, else each genre's share of
 *   that popularity), scaled to [0, 1]. γ (genrePrior, default 0.3) keeps popularity in charge
 *   while breaking its ties toward the user's (or region's) genres.
 */
import type { Catalog } from '../data/catalog.js';
import type { HistoryEntry, Model } from '../model/model.js';
import type { Recommendation } from '../types.js';
import { itemListeners } from './model-factors.js';

export interface ColdStartContext {
  model: Model;
  /** Listeners per model item (global popularity). */
  popularity: Float32Array;
  /** Popularity per model item within each region. */
  regional: Map<string, Float32Array>;
  /** Artist id → model items by that artist, most popular first. */
  artistTracks: Map<string, Int32Array>;
  /** Genres per model item (CSR over genreVocab), when a catalog was given. */
  itemGenres?: { indptr: Int32Array; indices: Int32Array; vocab: readonly string[] };
}

export interface ColdStartRequest {
  /** What the user already did (played, liked…), if anything. */
  history?: readonly HistoryEntry[];
  /** Onboarding picks. */
  artists?: readonly string[];
  tracks?: readonly string[];
  genres?: readonly string[];
  region?: string;
}

export interface ColdStartOptions {
  n?: number;
  tracksPerArtist?: number;
  pickWeight?: number;
  genrePrior?: number;
}

export interface ColdStartResult {
  items: Recommendation[];
  strategy: 'fold-in' | 'popularity';
  /** Seed entries that went into the fold-in (history, picks and expanded artist tracks). */
  seeds: number;
}

/**
 * Build the lookups once per model: popularity (optionally per region, from each training user's
 * region) and, from a catalog, artist → tracks and track genres.
 */
export function coldStartContext(model: Model, opts: { catalog?: Catalog; userRegions?: ReadonlyMap<string, string> } = {}): ColdStartContext {
  const items = model.data.items.size;
  const seen = model.data.seen;
  const popularity = itemListeners(seen, items);
  const regional = new Map<string, Float32Array>();
  if (opts.userRegions) {
    const users = model.data.users.ids;
    for (let u = 0; u < users.length; u++) {
      const region = opts.userRegions.get(users[u]);
      if (region === undefined) continue;
      let pop = regional.get(region);
      if (!pop) regional.set(region, (pop = new Float32Array(items)));
      for (let p = seen.indptr[u]; p < seen.indptr[u + 1]; p++) if (seen.pref[p] > 0) pop[seen.indices[p]]++;
    }
  }
  const artistTracks = new Map<string, Int32Array>();
  let itemGenres: ColdStartContext['itemGenres'];
  if (opts.catalog) {
    const c = opts.catalog;
    const byArtist = new Map<string, number[]>();
    const ptr = new Int32Array(items + 1);
    const gIdx: number[] = [];
    for (let i = 0; i < items; i++) {
      const t = c.tracks.get(model.data.items.ids[i]);
      if (t !== undefined) {
        const a = c.trackArtist[t];
        if (a >= 0) {
          const id = c.artists.ids[a];
          let list = byArtist.get(id);
          if (!list) byArtist.set(id, (list = []));
          list.push(i);
        }
        for (let p = c.genres.indptr[t]; p < c.genres.indptr[t + 1]; p++) gIdx.push(c.genres.indices[p]);
      }
      ptr[i + 1] = gIdx.length;
    }
    for (const [id, list] of byArtist) artistTracks.set(id, Int32Array.from(list.sort((a, b) => popularity[b] - popularity[a] || a - b)));
    itemGenres = { indptr: ptr, indices: Int32Array.from(gIdx), vocab: c.genres.vocab.ids };
  }
  return { model, popularity, regional, artistTracks, itemGenres };
}

/** Recommend for a cold user: fold-in when there is anything to fold in, else popularity. */
export async function coldStartRecommend(ctx: ColdStartContext, req: ColdStartRequest, opts: ColdStartOptions = {}): Promise<ColdStartResult> {
  const n = opts.n ?? 10;
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`coldStartRecommend: n must be an integer ≥ 1, got ${n}`);
  const perArtist = opts.tracksPerArtist ?? 5;
  const pickWeight = opts.pickWeight ?? 1;
  if (!(Number.isInteger(perArtist) && perArtist >= 1)) throw new RangeError(`coldStartRecommend: tracksPerArtist must be an integer ≥ 1, got ${perArtist}`);
  if (!(pickWeight > 0)) throw new RangeError(`coldStartRecommend: pickWeight must be > 0, got ${pickWeight}`);
  const model = ctx.model;
  const seeds: HistoryEntry[] = [...(req.history ?? [])];
  const exclude = new Set<string>(seeds.map((h) => h.trackId));
  for (const t of req.tracks ?? []) {
    seeds.push({ trackId: t, weight: pickWeight });
    exclude.add(t);
  }
  for (const a of req.artists ?? []) {
    const list = ctx.artistTracks.get(a);
    if (!list) continue;
    for (let j = 0; j < Math.min(perArtist, list.length); j++) seeds.push({ trackId: model.data.items.ids[list[j]], weight: pickWeight });
  }
  const known = seeds.filter((s) => model.data.items.get(s.trackId) !== undefined && (s.pref ?? 1) > 0);
  if (known.length > 0) {
    const vector = await model.foldIn(seeds);
    const items = await model.recommendVector(vector, { n, exclude: [...exclude] });
    return { items, strategy: 'fold-in', seeds: known.length };
  }
  return { items: popularityList(ctx, req, n, opts.genrePrior ?? 0.3, exclude), strategy: 'popularity', seeds: 0 };
}

function popularityList(ctx: ColdStartContext, req: ColdStartRequest, n: number, gamma: number, exclude: ReadonlySet<string>): Recommendation[] {
  const pop = (req.region !== undefined ? ctx.regional.get(req.region) : undefined) ?? ctx.popularity;
  const items = pop.length;
  let maxPop = 0;
  for (let i = 0; i < items; i++) maxPop = Math.max(maxPop, pop[i]);
  const norm = maxPop > 0 ? 1 / Math.log1p(maxPop) : 0;
  const prior = genrePrior(ctx, req, pop);
  const score = new Float64Array(items);
  for (let i = 0; i < items; i++) score[i] = Math.log1p(pop[i]) * norm + gamma * (prior ? prior[i] : 0);
  const ids = ctx.model.data.items.ids;
  const order = Array.from({ length: items }, (_, i) => i)
    .filter((i) => !exclude.has(ids[i]))
    .sort((a, b) => score[b] - score[a] || a - b);
  return order.slice(0, n).map((i) => ({ trackId: ids[i], score: score[i] }));
}

/** Per item: the best wanted-ness of its genres in [0, 1], or undefined without genre data. */
function genrePrior(ctx: ColdStartContext, req: ColdStartRequest, pop: Float32Array): Float64Array | undefined {
  const g = ctx.itemGenres;
  if (!g) return undefined;
  const want = new Float64Array(g.vocab.length);
  const chosen = new Set((req.genres ?? []).map((s) => s.trim().toLowerCase()));
  if (chosen.size > 0) {
    g.vocab.forEach((name, k) => {
      if (chosen.has(name)) want[k] = 1;
    });
  } else {
    for (let i = 0; i < pop.length; i++) for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) want[g.indices[p]] += pop[i];
  }
  let max = 0;
  for (let k = 0; k < want.length; k++) max = Math.max(max, want[k]);
  if (max === 0) return undefined;
  const out = new Float64Array(pop.length);
  for (let i = 0; i < pop.length; i++) {
    let best = 0;
    for (let p = g.indptr[i]; p < g.indptr[i + 1]; p++) best = Math.max(best, want[g.indices[p]] / max);
    out[i] = best;
  }
  return out;
}
