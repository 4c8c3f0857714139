/**
 * Sampling tables shared by every simulated listener: popularity-weighted tracks per genre and
 * week (new releases get a freshness boost while recent), favourite-artist candidates per genre,
 * and each region's genre preference.
 */
import { AliasTable } from './alias.js';
import type { SyntheticCatalog } from './catalog.js';
import type { ResolvedOptions } from './options.js';
import { Rng } from './rng.js';
import { STREAM } from './streams.js';
import { REGIONS } from './vocab.js';

export interface SamplingTables {
  /** weekly[w·G + g]: tracks of genre g (main or second) released by the end of week w; null when none. */
  readonly weekly: (AliasTable | null)[];
  /** Tracks of genre g released before week 0; null when none. */
  readonly backCatalog: (AliasTable | null)[];
  /** Every track released before week 0, by popularity. */
  readonly anyBackCatalog: AliasTable;
  /** Artists whose main genre is g, by popularity^0.6 (favourites are not only stars); null when none. */
  readonly artistsOfGenre: (AliasTable | null)[];
  /** Row-major regions × genres preference, each row summing to 1 (0 for genres without back catalog). */
  readonly regionGenreWeight: Float64Array;
  readonly regionGenre: AliasTable[];
}

/** Multiplier of a new release's popularity `age` weeks after its release week. */
export function freshnessBoost(age: number): number {
  return 1 + 3 * Math.exp(-age / 1.5);
}

export function buildTables(o: ResolvedOptions, c: SyntheticCatalog): SamplingTables {
  const G = c.genres.length;
  const T = c.tracks.size;
  const W = o.weeks;

  // Tracks per genre (a two-genre track is listed under both).
  const count = new Int32Array(G + 1);
  for (let t = 0; t < T; t++) {
    count[c.trackGenre[t] + 1]++;
    if (c.trackGenre2[t] >= 0) count[c.trackGenre2[t] + 1]++;
  }
  for (let g = 0; g < G; g++) count[g + 1] += count[g];
  const members = new Int32Array(count[G]);
  const fill = count.slice(0, G);
  for (let t = 0; t < T; t++) {
    members[fill[c.trackGenre[t]]++] = t;
    if (c.trackGenre2[t] >= 0) members[fill[c.trackGenre2[t]]++] = t;
  }

  const weekly: (AliasTable | null)[] = new Array(W * G).fill(null);
  const backCatalog: (AliasTable | null)[] = new Array(G).fill(null);
  const hasBack = new Uint8Array(G);
  for (let g = 0; g < G; g++) {
    const items = members.subarray(count[g], count[g + 1]);
    const wts = new Float64Array(items.length);
    for (let i = 0; i < items.length; i++) wts[i] = c.releaseWeek[items[i]] < 0 ? c.popularity[items[i]] : 0;
    if (wts.some((x) => x > 0)) {
      backCatalog[g] = new AliasTable(wts, items.slice());
      hasBack[g] = 1;
    }
    for (let w = 0; w < W; w++) {
      for (let i = 0; i < items.length; i++) {
        const rw = c.releaseWeek[items[i]];
        wts[i] = rw < 0 ? c.popularity[items[i]] : rw <= w ? c.popularity[items[i]] * freshnessBoost(w - rw) : 0;
      }
      if (wts.some((x) => x > 0)) weekly[w * G + g] = new AliasTable(wts, items.slice());
    }
  }
  const anyBackCatalog = new AliasTable(Float64Array.from(c.popularity, (p, t) => (c.releaseWeek[t] < 0 ? p : 0)));

  const A = c.artists.size;
  const artistsOfGenre: (AliasTable | null)[] = new Array(G).fill(null);
  for (let g = 0; g < G; g++) {
    const list: number[] = [];
    for (let a = 0; a < A; a++) if (c.artistGenre[a] === g) list.push(a);
    if (list.length > 0) {
      artistsOfGenre[g] = new AliasTable(
        list.map((a) => Math.pow(c.artistWeight[a], 0.6)),
        Int32Array.from(list),
      );
    }
  }

  const rng = new Rng(o.seed, STREAM.regions);
  const R = REGIONS.length;
  const regionGenreWeight = new Float64Array(R * G);
  const regionGenre: AliasTable[] = [];
  for (let r = 0; r < R; r++) {
    let sum = 0;
    for (let g = 0; g < G; g++) {
      const boost = REGIONS[r].boosts[c.genres[g]] ?? 1;
      const w = hasBack[g] && artistsOfGenre[g] ? c.genreWeight[g] * boost * rng.logNormal(0, 0.35) : 0;
      regionGenreWeight[r * G + g] = w;
      sum += w;
    }
    for (let g = 0; g < G; g++) regionGenreWeight[r * G + g] = Math.round((regionGenreWeight[r * G + g] / sum) * 1000) / 1000;
    regionGenre.push(new AliasTable(regionGenreWeight.subarray(r * G, (r + 1) * G)));
  }
  return { weekly, backCatalog, anyBackCatalog, artistsOfGenre, regionGenreWeight, regionGenre };
}
