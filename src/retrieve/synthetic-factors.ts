/**
 * Generated factors with the structure of trained implicit-ALS ones, for the retrieval and
 * weekly-job benchmarks: items in taste clusters of Zipf-distributed sizes, users mixing two
 * clusters, artists as runs of tracks within a cluster, and a training history per user drawn
 * from their clusters with a power-law preference for each cluster's head. As in ALS, an item's
 * norm grows with how often it was played (norm ∝ (1 + plays)^0.35, with log-normal noise), so
 * popular tracks win raw inner products and the norms span about an order of magnitude.
 * Arrays live in SharedArrayBuffers so the weekly job shares them with its workers without copies.
 */
import { Mulberry32 } from '../util/random.js';
import { sharedArray } from '../util/shared-memory.js';

export interface SyntheticFactorsOptions {
  users: number;
  items: number;
  factors?: number;
  clusters?: number;
  /** Tracks per artist (default 8). */
  tracksPerArtist?: number;
  /** Training history per user (default 20). */
  seenPerUser?: number;
  seed?: number;
}

export interface SyntheticFactors {
  factors: number;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  itemCluster: Int32Array;
  trackArtist: Int32Array;
  artists: number;
  seen: { indptr: Int32Array; indices: Int32Array; pref: Float32Array; weight: Float32Array };
}

export function syntheticFactors(o: SyntheticFactorsOptions): SyntheticFactors {
  const k = o.factors ?? 64;
  const C = o.clusters ?? 200;
  const tpa = o.tracksPerArtist ?? 8;
  const per = o.seenPerUser ?? 20;
  const g = new Mulberry32((o.seed ?? 1) >>> 0 || 1);
  const rand = (): number => g.nextOpen();
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand());
  const centers = new Float32Array(C * k);
  for (let i = 0; i < centers.length; i++) centers[i] = gauss() / Math.sqrt(k);
  // Zipf cluster sizes → contiguous item ranges.
  const start = new Int32Array(C + 1);
  let total = 0;
  for (let c = 0; c < C; c++) total += 1 / (c + 1) ** 0.7;
  for (let c = 0; c < C; c++) start[c + 1] = c + 1 === C ? o.items : Math.min(o.items, start[c] + Math.max(1, Math.round((o.items * (1 / (c + 1) ** 0.7)) / total)));
  const itemFactors = sharedArray(Float32Array, o.items * k);
  const itemCluster = sharedArray(Int32Array, o.items);
  const trackArtist = sharedArray(Int32Array, o.items);
  let artist = -1;
  for (let c = 0; c < C; c++) {
    for (let i = start[c]; i < start[c + 1]; i++) {
      itemCluster[i] = c;
      if ((i - start[c]) % tpa === 0) artist++;
      trackArtist[i] = artist;
      // Direction now; the popularity-shaped norm once the histories are drawn.
      for (let j = 0; j < k; j++) itemFactors[i * k + j] = centers[c * k + j] + (0.6 * gauss()) / Math.sqrt(k);
    }
  }
  const userFactors = sharedArray(Float32Array, o.users * k);
  const indptr = sharedArray(Int32Array, o.users + 1);
  const indices = sharedArray(Int32Array, o.users * per);
  const plays = new Float32Array(o.items);
  const row = new Int32Array(per);
  for (let u = 0; u < o.users; u++) {
    const a = Math.floor(rand() ** 2 * C);
    const b = Math.floor(rand() * C);
    for (let j = 0; j < k; j++) userFactors[u * k + j] = 1.5 * (0.7 * centers[a * k + j] + 0.3 * centers[b * k + j]) + (0.3 * gauss()) / Math.sqrt(k);
    for (let p = 0; p < per; p++) {
      const c = p % 3 === 2 ? b : a;
      row[p] = start[c] + Math.floor(rand() ** 3 * (start[c + 1] - start[c]));
    }
    const sorted = row.slice().sort();
    let n = 0;
    for (let p = 0; p < per; p++) {
      if (p === 0 || sorted[p] !== sorted[p - 1]) {
        indices[u * per + n++] = sorted[p];
        plays[sorted[p]]++;
      }
    }
    // Unused slots of the row are compacted below.
    indptr[u + 1] = indptr[u] + n;
    if (n < per) indices.fill(-1, u * per + n, (u + 1) * per);
  }
  for (let i = 0; i < o.items; i++) {
    const norm = 0.3 * (1 + plays[i]) ** 0.35 * Math.exp(0.2 * gauss());
    for (let j = 0; j < k; j++) itemFactors[i * k + j] *= norm;
  }
  // Compact rows (remove the −1 padding) in place.
  let w = 0;
  for (let u = 0; u < o.users; u++) {
    const len = indptr[u + 1] - indptr[u];
    for (let p = 0; p < len; p++) indices[w + p] = indices[u * per + p];
    w += len;
  }
  const nnz = indptr[o.users];
  const seen = { indptr, indices: indices.subarray(0, nnz), pref: sharedArray(Float32Array, nnz).fill(1), weight: sharedArray(Float32Array, nnz).fill(1) };
  return { factors: k, userFactors, itemFactors, itemCluster, trackArtist, artists: artist + 1, seen };
}
