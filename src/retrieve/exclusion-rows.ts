/**
 * Everything a user must never be offered, merged into one sorted CSR per block of users: tracks
 * heard in training, tracks heard recently, disliked tracks, tracks of disliked artists and tracks
 * of recent weekly playlists. The native top-k kernel skips these inside its scoring loop.
 */
import type { CsrArrays } from '../native/index.js';

/** Rows indexed by the model's user index (indptr length users + 1); indices need not be sorted. */
export interface UserRows {
  indptr: Int32Array;
  indices: Int32Array;
}

/** Disliked artists per user and the tracks of each artist: expands to track exclusions. */
export interface ArtistRows {
  /** users × artists */
  byUser: UserRows;
  /** artists × tracks */
  tracks: UserRows;
}

export interface ExclusionSources {
  /** Track rows per user (seen, recent, disliked, archive, ...). Rows may be shorter than the user count. */
  tracks: readonly UserRows[];
  artists?: ArtistRows;
}

function rowLength(src: UserRows, u: number): number {
  return u >= 0 && u + 1 < src.indptr.length ? src.indptr[u + 1] - src.indptr[u] : 0;
}

/** Upper bound of one user's excluded-track count (before de-duplication). */
export function exclusionCount(s: ExclusionSources, u: number): number {
  let n = 0;
  for (const src of s.tracks) n += rowLength(src, u);
  if (s.artists) {
    const { byUser, tracks } = s.artists;
    for (let p = byUser.indptr[u]; u + 1 < byUser.indptr.length && p < byUser.indptr[u + 1]; p++) n += rowLength(tracks, byUser.indices[p]);
  }
  return n;
}

/**
 * One CSR (row i = users[i], or user begin+i for a range) with each row sorted ascending and
 * de-duplicated, as the native kernel wants it.
 */
export function mergeExclusions(s: ExclusionSources, users: Int32Array): CsrArrays {
  const m = users.length;
  const indptr = new Int32Array(m + 1);
  for (let i = 0; i < m; i++) indptr[i + 1] = indptr[i] + exclusionCount(s, users[i]);
  const raw = new Int32Array(indptr[m]);
  for (let i = 0; i < m; i++) {
    const u = users[i];
    let w = indptr[i];
    for (const src of s.tracks) {
      const len = rowLength(src, u);
      if (len > 0) raw.set(src.indices.subarray(src.indptr[u], src.indptr[u] + len), w);
      w += len;
    }
    if (s.artists && u + 1 < s.artists.byUser.indptr.length) {
      const { byUser, tracks } = s.artists;
      for (let p = byUser.indptr[u]; p < byUser.indptr[u + 1]; p++) {
        const a = byUser.indices[p];
        const len = rowLength(tracks, a);
        if (len > 0) raw.set(tracks.indices.subarray(tracks.indptr[a], tracks.indptr[a] + len), w);
        w += len;
      }
    }
  }
  // Sort each row (typed-array sort is numeric) and squeeze out duplicates in place.
  const out = new Int32Array(m + 1);
  let w = 0;
  for (let i = 0; i < m; i++) {
    const row = raw.subarray(indptr[i], indptr[i + 1]).sort();
    let prev = -1;
    for (let p = 0; p < row.length; p++) {
      if (row[p] !== prev) raw[w++] = row[p];
      prev = row[p];
    }
    out[i + 1] = w;
  }
  return { indptr: out, indices: raw.subarray(0, w) };
}

/** Users begin..end-1 as an index list. */
export function userRange(begin: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - begin));
  for (let i = 0; i < out.length; i++) out[i] = begin + i;
  return out;
}
