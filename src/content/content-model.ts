/**
 * Track content vectors and everything needed to rebuild them for new tracks: the bundle that is
 * stored next to a model. A track's vector is three blocks, each scaled by a configurable weight:
 *
 * 1. numeric: z-scored features / √F, so the block's expected squared norm is about 1;
 * 2. text: L2-normalised TF-IDF of genres ("genre:…") and tags ("tag:…") projected on the top
 *    singular directions of a seeded randomized SVD (see rsvd.ts for why);
 * 3. artist: the mean of blocks 1–2 over the artist's tracks. Chosen over a hashed artist one-hot:
 *    a one-hot (even hashed into a few hundred buckets) says nothing about an artist not seen in
 *    training and makes unrelated artists share buckets, while the mean embedding has a small fixed
 *    size, exists for a brand-new artist from its own tracks, and gives a track with sparse tags
 *    its artist's overall style. Artist identity proper (what listeners of the artist do) is
 *    carried in factor space by the factor map's artist residual. When no artist has more than
 *    one track the block would repeat blocks 1–2, so `artistBlock: 'auto'` leaves it out.
 */
import { mainGenre, type Catalog } from '../data/catalog.js';
import { Dictionary } from '../data/dictionary.js';
import { packBundle, unpackBundle, type PackedArray } from './bundle.js';
import type { FactorMap } from './factor-map.js';
import { project, randomizedSvd, type TruncatedSvd } from './rsvd.js';
import { fitStandardizer, standardize, type Standardizer } from './standardize.js';
import { fitIdf, tfidfRows, type SparseRowsF32 } from './tfidf.js';

export interface ContentOptions {
  /** Dimension of the tag/genre block (default 32). */
  textDims?: number;
  /** Seed of the randomized SVD (default 42). */
  seed?: number;
  /** Power iterations of the randomized SVD (default 3). */
  powerIterations?: number;
  /** Block weights (defaults: numeric 1, text 1, artist 0.5). */
  weights?: { numeric?: number; text?: number; artist?: number };
  /** Include the artist-mean block (default 'auto': only when some artist has ≥ 2 tracks). */
  artistBlock?: boolean | 'auto';
}

export interface ContentParams {
  textDims: number;
  seed: number;
  powerIterations: number;
  weights: { numeric: number; text: number; artist: number };
  artistBlock: boolean;
}

/** Offsets of the blocks inside a content vector. */
export interface ContentLayout {
  numeric: [number, number];
  text: [number, number];
  artist: [number, number];
  dim: number;
}

export interface ContentModelData {
  params: ContentParams;
  tracks: Dictionary;
  artists: Dictionary;
  trackArtist: Int32Array;
  standardizer: Standardizer;
  /** "genre:…" and "tag:…" tokens, aligned with idf and the SVD rows. */
  vocab: Dictionary;
  idf: Float64Array;
  svd: TruncatedSvd;
  /** tracks × dim */
  vectors: Float32Array;
  factorMap?: FactorMap;
  /** What playlists show and shape per track, kept so the weekly job needs no catalog file (absent in older bundles). */
  listing?: TrackListing;
}

/** Per content track: title ('' unknown), release time (NaN unknown) and main genre (−1 none) over `genres`. */
export interface TrackListing {
  titles: string[];
  releaseMs: Float64Array;
  genres: Dictionary;
  mainGenre: Int32Array;
}

export class ContentModel {
  readonly layout: ContentLayout;
  private unitCache?: Float32Array;

  constructor(readonly data: ContentModelData) {
    this.layout = layoutOf(data.standardizer.names.length, data.params);
    if (data.vectors.length !== data.tracks.size * this.layout.dim) {
      throw new RangeError(`ContentModel: vectors length ${data.vectors.length} is not tracks ${data.tracks.size} × dim ${this.layout.dim}`);
    }
  }

  get dim(): number {
    return this.layout.dim;
  }
  get tracks(): Dictionary {
    return this.data.tracks;
  }
  get vectors(): Float32Array {
    return this.data.vectors;
  }
  get factorMap(): FactorMap | undefined {
    return this.data.factorMap;
  }

  /** Row of a track, or undefined. */
  row(trackId: string): number | undefined {
    return this.data.tracks.get(trackId);
  }

  /** The content vector of a track row (a view). */
  vector(row: number): Float32Array {
    const d = this.dim;
    return this.data.vectors.subarray(row * d, (row + 1) * d);
  }

  /** Vectors scaled to unit length (zero rows stay zero): dot products are cosines. */
  unitVectors(): Float32Array {
    this.unitCache ??= normalizeRows(this.data.vectors, this.dim);
    return this.unitCache;
  }

  /** A copy carrying a fitted content → factor map. */
  withFactorMap(map: FactorMap): ContentModel {
    if (map.dim !== this.dim) throw new RangeError(`withFactorMap: map dim ${map.dim} differs from content dim ${this.dim}`);
    return new ContentModel({ ...this.data, factorMap: map });
  }

  /** Vectors of another catalog's tracks with this model's fitted parameters (new releases). */
  embed(catalog: Catalog): Float32Array {
    return embedCatalog(catalog, this.data.params, this.data.standardizer, this.data.vocab, this.data.idf, this.data.svd);
  }

  toBytes(): Uint8Array {
    const d = this.data;
    const header = {
      kind: 'mixtape-content',
      params: d.params,
      featureNames: d.standardizer.names,
      tracks: d.tracks.ids,
      artists: d.artists.ids,
      vocab: d.vocab.ids,
      svdRank: d.svd.rank,
      factorMap: d.factorMap ? { factors: d.factorMap.factors, dim: d.factorMap.dim, lambda: d.factorMap.lambda, blendM: d.factorMap.blendM, artistShrink: d.factorMap.artistShrink, fittedRows: d.factorMap.fittedRows } : null,
      listing: d.listing ? { titles: d.listing.titles, genres: d.listing.genres.ids } : null,
    };
    const arrays: Record<string, PackedArray> = {
      vectors: d.vectors,
      trackArtist: d.trackArtist,
      mean: d.standardizer.mean,
      invStd: d.standardizer.invStd,
      idf: d.idf,
      singular: d.svd.singular,
      components: d.svd.components,
    };
    if (d.factorMap) {
      arrays.W = d.factorMap.W;
      arrays.contentMean = d.factorMap.contentMean;
      arrays.factorMean = d.factorMap.factorMean;
    }
    if (d.listing) {
      arrays.releaseMs = d.listing.releaseMs;
      arrays.mainGenre = d.listing.mainGenre;
    }
    return packBundle(header, arrays);
  }

  static fromBytes(bytes: Uint8Array): ContentModel {
    const { header, arrays } = unpackBundle(bytes);
    const h = header as {
      kind: string;
      params: ContentParams;
      featureNames: string[];
      tracks: string[];
      artists: string[];
      vocab: string[];
      svdRank: number;
      factorMap: Omit<FactorMap, 'W' | 'contentMean' | 'factorMean'> | null;
      listing?: { titles: string[]; genres: string[] } | null;
    };
    if (h.kind !== 'mixtape-content') throw new RangeError(`content bundle: kind '${h.kind}' is not mixtape-content`);
    const get = <T extends PackedArray>(name: string): T => {
      const a = arrays.get(name);
      if (!a) throw new RangeError(`content bundle: array '${name}' is missing`);
      return a as T;
    };
    const factorMap: FactorMap | undefined = h.factorMap
      ? { ...h.factorMap, W: get<Float32Array>('W'), contentMean: get<Float32Array>('contentMean'), factorMean: get<Float32Array>('factorMean') }
      : undefined;
    const listing: TrackListing | undefined = h.listing
      ? { titles: h.listing.titles, genres: Dictionary.from(h.listing.genres), releaseMs: get<Float64Array>('releaseMs'), mainGenre: get<Int32Array>('mainGenre') }
      : undefined;
    if (listing && (listing.titles.length !== h.tracks.length || listing.releaseMs.length !== h.tracks.length || listing.mainGenre.length !== h.tracks.length)) {
      throw new RangeError(`content bundle: the track listing does not cover the ${h.tracks.length} tracks`);
    }
    return new ContentModel({
      params: h.params,
      tracks: Dictionary.from(h.tracks),
      artists: Dictionary.from(h.artists),
      trackArtist: get<Int32Array>('trackArtist'),
      standardizer: { names: h.featureNames, mean: get<Float64Array>('mean'), invStd: get<Float64Array>('invStd') },
      vocab: Dictionary.from(h.vocab),
      idf: get<Float64Array>('idf'),
      svd: { rank: h.svdRank, singular: get<Float64Array>('singular'), components: get<Float64Array>('components') },
      vectors: get<Float32Array>('vectors'),
      factorMap,
      ...(listing ? { listing } : {}),
    });
  }
}

export function resolveContentOptions(o: ContentOptions, catalog: Catalog): ContentParams {
  const textDims = o.textDims ?? 32;
  if (!(Number.isInteger(textDims) && textDims >= 1)) throw new RangeError(`content: textDims must be an integer ≥ 1, got ${textDims}`);
  const w = { numeric: o.weights?.numeric ?? 1, text: o.weights?.text ?? 1, artist: o.weights?.artist ?? 0.5 };
  for (const [k, v] of Object.entries(w)) if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`content: weights.${k} must be finite and ≥ 0, got ${v}`);
  let artistBlock = o.artistBlock ?? 'auto';
  if (artistBlock === 'auto') artistBlock = someArtistHasTwoTracks(catalog.trackArtist, catalog.artists.size);
  return { textDims, seed: o.seed ?? 42, powerIterations: o.powerIterations ?? 3, weights: w, artistBlock };
}

/** Fit standardisation, vocabulary, idf and the SVD on a catalog and embed its tracks. */
export function buildContentModel(catalog: Catalog, opts: ContentOptions = {}): ContentModel {
  const params = resolveContentOptions(opts, catalog);
  const F = catalog.featureNames.length;
  const standardizer = fitStandardizer(catalog.features, F, catalog.featureNames);
  const { vocab, rows } = textRows(catalog);
  const idf = fitIdf(rows.indptr, rows.indices, vocab.size);
  const weighted = tfidfRows(rows.indptr, rows.indices, rows.values, idf);
  const svd = vocab.size > 0 ? randomizedSvd(weighted, vocab.size, params.textDims, { seed: params.seed, powerIterations: params.powerIterations }) : emptySvd(params.textDims);
  const vectors = embedCatalog(catalog, params, standardizer, vocab, idf, svd);
  return new ContentModel({
    params,
    tracks: catalog.tracks,
    artists: catalog.artists,
    trackArtist: catalog.trackArtist,
    standardizer,
    vocab,
    idf,
    svd,
    vectors,
    listing: listingOf(catalog),
  });
}

function listingOf(catalog: Catalog): TrackListing {
  const n = catalog.tracks.size;
  const mainGenres = new Int32Array(n);
  for (let t = 0; t < n; t++) mainGenres[t] = mainGenre(catalog.genres, t);
  return { titles: Array.from(catalog.titles), releaseMs: catalog.releaseMs, genres: catalog.genres.vocab, mainGenre: mainGenres };
}

function emptySvd(rank: number): TruncatedSvd {
  return { rank, singular: new Float64Array(rank), components: new Float64Array(0) };
}

function layoutOf(F: number, p: ContentParams): ContentLayout {
  const base = F + p.textDims;
  return { numeric: [0, F], text: [F, base], artist: p.artistBlock ? [base, 2 * base] : [base, base], dim: p.artistBlock ? 2 * base : base };
}

function someArtistHasTwoTracks(trackArtist: Int32Array, artists: number): boolean {
  const c = new Int32Array(artists);
  for (let t = 0; t < trackArtist.length; t++) if (trackArtist[t] >= 0 && ++c[trackArtist[t]] >= 2) return true;
  return false;
}

/** Genre and tag lists merged into one count matrix over a prefixed vocabulary. */
function textRows(catalog: Catalog, vocab: Dictionary = new Dictionary(), grow = true): { vocab: Dictionary; rows: SparseRowsF32 } {
  const n = catalog.tracks.size;
  const gMap = mapVocab(catalog.genres.vocab.ids, 'genre:', vocab, grow);
  const tMap = mapVocab(catalog.tags.vocab.ids, 'tag:', vocab, grow);
  const indptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const entries: [number, number][] = [];
  for (let t = 0; t < n; t++) {
    entries.length = 0;
    for (const [lists, map] of [
      [catalog.genres, gMap],
      [catalog.tags, tMap],
    ] as const) {
      for (let p = lists.indptr[t]; p < lists.indptr[t + 1]; p++) {
        const v = map[lists.indices[p]];
        if (v >= 0) entries.push([v, lists.counts[p]]);
      }
    }
    entries.sort((a, b) => a[0] - b[0]);
    for (const [v, c] of entries) {
      idx.push(v);
      val.push(c);
    }
    indptr[t + 1] = idx.length;
  }
  return { vocab, rows: { indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) } };
}

function mapVocab(tokens: readonly string[], prefix: string, vocab: Dictionary, grow: boolean): Int32Array {
  const map = new Int32Array(tokens.length);
  tokens.forEach((tok, i) => {
    map[i] = grow ? vocab.intern(prefix + tok) : (vocab.get(prefix + tok) ?? -1);
  });
  return map;
}

/** Content vectors of a catalog's tracks with given fitted parameters. */
export function embedCatalog(
  catalog: Catalog,
  params: ContentParams,
  standardizer: Standardizer,
  vocab: Dictionary,
  idf: Float64Array,
  svd: TruncatedSvd,
): Float32Array {
  const n = catalog.tracks.size;
  const F = standardizer.names.length;
  const layout = layoutOf(F, params);
  const d = layout.dim;
  // Features by the fitted names: a column missing from this catalog standardises to 0 (the mean).
  const src = new Float32Array(n * F);
  const colOf = standardizer.names.map((name) => catalog.featureNames.indexOf(name));
  const Fc = catalog.featureNames.length;
  for (let t = 0; t < n; t++) {
    for (let f = 0; f < F; f++) src[t * F + f] = colOf[f] >= 0 ? catalog.features[t * Fc + colOf[f]] : standardizer.mean[f];
  }
  const z = standardize(standardizer, src);
  const { rows } = textRows(catalog, vocab, false);
  const text = svd.components.length > 0 ? project(tfidfRows(rows.indptr, rows.indices, rows.values, idf), svd) : new Float32Array(n * params.textDims);
  const out = new Float32Array(n * d);
  const wNum = F > 0 ? params.weights.numeric / Math.sqrt(F) : 0;
  const r = params.textDims;
  for (let t = 0; t < n; t++) {
    for (let f = 0; f < F; f++) out[t * d + f] = z[t * F + f] * wNum;
    for (let j = 0; j < r; j++) out[t * d + F + j] = text[t * r + j] * params.weights.text;
  }
  if (params.artistBlock) addArtistBlock(out, d, F + r, catalog.trackArtist, catalog.artists.size, params.weights.artist);
  return out;
}

/** Writes w · (mean of the base blocks over the artist's tracks) into each track's artist block. */
function addArtistBlock(out: Float32Array, d: number, base: number, trackArtist: Int32Array, artists: number, w: number): void {
  const n = trackArtist.length;
  const sum = new Float64Array(artists * base);
  const count = new Int32Array(artists);
  for (let t = 0; t < n; t++) {
    const a = trackArtist[t];
    if (a < 0) continue;
    count[a]++;
    for (let j = 0; j < base; j++) sum[a * base + j] += out[t * d + j];
  }
  for (let t = 0; t < n; t++) {
    const a = trackArtist[t];
    // A track without an artist is its own "artist".
    for (let j = 0; j < base; j++) out[t * d + base + j] = w * (a >= 0 ? sum[a * base + j] / count[a] : out[t * d + j]);
  }
}

/** Rows scaled to unit L2 norm (zero rows stay zero). */
export function normalizeRows(x: Float32Array, d: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / d; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[r * d + j] * x[r * d + j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) out[r * d + j] = x[r * d + j] * inv;
  }
  return out;
}
