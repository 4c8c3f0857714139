/**
 * A small synthetic world for the playlist tests: genres with artists and tracks, power-law
 * popularity, users with planted genre tastes, and model factors built from the planted structure
 * (item = genre direction + noise, scaled by popularity; user = taste-weighted genre directions).
 * `expectedFullPlayRate` is the planted probability that a user plays a track through.
 */
import { Dictionary } from '../../src/data/dictionary.js';
import type { ModelData } from '../../src/model/model-data.js';
import type { TrackMeta } from '../../src/playlist/catalog.js';
import { mulberry32 } from '../../src/util/random.js';

export interface World {
  data: ModelData;
  meta: TrackMeta;
  genres: number;
  /** users × genres planted taste (rows sum to 1). */
  taste: Float64Array;
  trackGenre: Int32Array;
  popularity: Float64Array;
  expectedFullPlayRate(user: number, track: number): number;
}

const rng = (seed: number): (() => number) => mulberry32(seed >>> 0 || 1);

export function makeWorld(o: { users?: number; genres?: number; artistsPerGenre?: number; tracksPerArtist?: number; k?: number; seed?: number; playsPerUser?: number } = {}): World {
  const U = o.users ?? 400;
  const G = o.genres ?? 8;
  const APG = o.artistsPerGenre ?? 12;
  const TPA = o.tracksPerArtist ?? 10;
  const k = o.k ?? 16;
  const rand = rng(o.seed ?? 7);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const A = G * APG;
  const T = A * TPA;
  // Genre directions: random unit vectors.
  const dir = new Float64Array(G * k);
  for (let g = 0; g < G; g++) {
    let n = 0;
    for (let j = 0; j < k; j++) n += (dir[g * k + j] = gauss()) ** 2;
    for (let j = 0; j < k; j++) dir[g * k + j] /= Math.sqrt(n);
  }
  const artists = Dictionary.from(Array.from({ length: A }, (_, a) => `artist-${a}`));
  const items = Dictionary.from(Array.from({ length: T }, (_, t) => `track-${t}`));
  const trackArtist = new Int32Array(T);
  const trackGenre = new Int32Array(T);
  const popularity = new Float64Array(T);
  const itemFactors = new Float32Array(T * k);
  for (let t = 0; t < T; t++) {
    const a = Math.floor(t / TPA);
    trackArtist[t] = a;
    trackGenre[t] = Math.floor(a / APG);
    // Zipf over artists within a genre and over tracks within an artist.
    popularity[t] = 1 / ((1 + (a % APG)) * (1 + (t % TPA)) ** 0.8);
    const norm = 0.6 + 0.8 * Math.sqrt(popularity[t]);
    for (let j = 0; j < k; j++) itemFactors[t * k + j] = norm * (dir[trackGenre[t] * k + j] + 0.35 * gauss() / Math.sqrt(k) * 3);
  }
  const taste = new Float64Array(U * G);
  const userFactors = new Float32Array(U * k);
  for (let u = 0; u < U; u++) {
    const main = Math.floor(rand() * G);
    const second = (main + 1 + Math.floor(rand() * (G - 1))) % G;
    taste[u * G + main] = 0.75;
    taste[u * G + second] = 0.25;
    for (let g = 0; g < G; g++) for (let j = 0; j < k; j++) userFactors[u * k + j] += taste[u * G + g] * dir[g * k + j];
  }
  // Training plays: sampled from taste and popularity.
  const plays = o.playsPerUser ?? 25;
  const cum = new Float64Array(T);
  const rows: number[][] = [];
  for (let u = 0; u < U; u++) {
    let s = 0;
    for (let t = 0; t < T; t++) cum[t] = s += taste[u * G + trackGenre[t]] * popularity[t];
    const set = new Set<number>();
    for (let p = 0; p < plays; p++) {
      const x = rand() * s;
      let lo = 0;
      let hi = T - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      set.add(lo);
    }
    rows.push([...set].sort((a, b) => a - b));
  }
  const indptr = new Int32Array(U + 1);
  rows.forEach((r, u) => (indptr[u + 1] = indptr[u] + r.length));
  const indices = Int32Array.from(rows.flat());
  const data: ModelData = {
    params: { factors: k, iterations: 0, regularization: 0.05, alpha: 10, confidence: 'linear', epsilon: 1, solver: 'cholesky', cgSteps: 3, seed: 1 },
    users: Dictionary.from(Array.from({ length: U }, (_, u) => `user-${u}`)),
    items,
    userFactors,
    itemFactors,
    seen: { indptr, indices, pref: new Float32Array(indices.length).fill(1), weight: new Float32Array(indices.length).fill(1) },
    history: [],
  };
  const meta: TrackMeta = { artists, trackArtist };
  return {
    data,
    meta,
    genres: G,
    taste,
    trackGenre,
    popularity,
    // Taste share of the track's genre, slightly higher for well-made (popular) tracks.
    expectedFullPlayRate: (u, t) => taste[u * G + trackGenre[t]] * (0.8 + 0.2 * Math.sqrt(popularity[t])),
  };
}
