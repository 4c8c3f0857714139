/**
 * Hard exclusions: tracks a user disliked (and did not take back with a later like, playlist add or
 * share), and artists of whom the user disliked at least `artistDislikeMin` tracks. Later stages
 * never recommend them.
 */
import { buildCsr } from '../data/csr.js';
import { EVENT_CODE, type EventLog } from '../types.js';
import { orderByKeys } from '../util/radix-order.js';

/** A users × columns sparse pattern (no values). */
export interface IndexCsr {
  readonly rows: number;
  readonly cols: number;
  /** Row pointers, length rows + 1. */
  readonly indptr: Int32Array;
  /** Column indices, ascending within each row. */
  readonly indices: Int32Array;
}

export interface Exclusions {
  /** users × tracks: disliked tracks. */
  readonly tracks: IndexCsr;
  /** users × artists (`log.artists` index space): disliked artists; 0 columns without artist ids. */
  readonly artistsByUser: IndexCsr;
}

/** Grow-on-demand pair buffer (the number of exclusions is small but unknown). */
class PairBuffer {
  rows: Int32Array<ArrayBuffer> = new Int32Array(64);
  cols: Int32Array<ArrayBuffer> = new Int32Array(64);
  length = 0;
  push(r: number, c: number): void {
    if (this.length === this.rows.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.rows = grow(this.rows);
      this.cols = grow(this.cols);
    }
    this.rows[this.length] = r;
    this.cols[this.length] = c;
    this.length++;
  }
}

function pattern(rows: number, cols: number, r: Int32Array, c: Int32Array): IndexCsr {
  const m = buildCsr(rows, cols, r, c, []);
  return { rows, cols, indptr: m.indptr, indices: m.indices };
}

/** Compute exclusions from the events listed in `present` (those not after asOf). */
export function computeExclusions(log: EventLog, present: Int32Array, artistDislikeMin: number): Exclusions {
  const users = log.users.size;
  const tracks = log.tracks.size;
  const DISLIKE = EVENT_CODE.dislike;
  const LIKE = EVENT_CODE.like;
  const ADD = EVENT_CODE.playlist_add;
  const SHARE = EVENT_CODE.share;

  // Only explicit feedback matters; group it by (user, track).
  let explicit = 0;
  for (let i = 0; i < present.length; i++) {
    const k = log.kind[present[i]];
    if (k === DISLIKE || k === LIKE || k === ADD || k === SHARE) explicit++;
  }
  let order: Int32Array = new Int32Array(explicit);
  for (let i = 0, j = 0; i < present.length; i++) {
    const k = log.kind[present[i]];
    if (k === DISLIKE || k === LIKE || k === ADD || k === SHARE) order[j++] = present[i];
  }
  order = orderByKeys(order, [
    { key: log.user, buckets: users },
    { key: log.track, buckets: tracks },
  ]);

  const pairs = new PairBuffer();
  let i = 0;
  while (i < order.length) {
    const u = log.user[order[i]];
    const t = log.track[order[i]];
    let lastDislike = -Infinity;
    let lastPositive = -Infinity;
    for (; i < order.length && log.user[order[i]] === u && log.track[order[i]] === t; i++) {
      const e = order[i];
      const k = log.kind[e];
      const ts = log.timestamp[e];
      if (k === DISLIKE) lastDislike = Math.max(lastDislike, ts);
      else if (k === LIKE || k === ADD || k === SHARE) lastPositive = Math.max(lastPositive, ts);
    }
    if (lastDislike > lastPositive) pairs.push(u, t);
  }
  const trackRows = pairs.rows.slice(0, pairs.length);
  const trackCols = pairs.cols.slice(0, pairs.length);
  const excludedTracks = pattern(users, tracks, trackRows, trackCols);

  const artistOf = log.artist;
  const artistCount = log.artists?.size ?? 0;
  if (!artistOf || artistCount === 0) {
    return { tracks: excludedTracks, artistsByUser: pattern(users, 0, new Int32Array(0), new Int32Array(0)) };
  }
  // Artist of each track: the first known artist logged with it.
  const trackArtist = new Int32Array(tracks).fill(-1);
  for (let e = 0; e < log.length; e++) {
    const a = artistOf[e];
    if (a >= 0 && a < artistCount && trackArtist[log.track[e]] < 0) trackArtist[log.track[e]] = a;
  }
  // Distinct disliked tracks per (user, artist): the track pairs are distinct, so summing ones counts them.
  const known = new PairBuffer();
  for (let p = 0; p < pairs.length; p++) {
    const a = trackArtist[trackCols[p]];
    if (a >= 0) known.push(trackRows[p], a);
  }
  const ones = new Float32Array(known.length).fill(1);
  const counts = buildCsr(users, artistCount, known.rows.slice(0, known.length), known.cols.slice(0, known.length), [ones]);
  const kept = new PairBuffer();
  for (let u = 0; u < users; u++) {
    for (let q = counts.indptr[u]; q < counts.indptr[u + 1]; q++) {
      if (counts.values[0][q] >= artistDislikeMin) kept.push(u, counts.indices[q]);
    }
  }
  return {
    tracks: excludedTracks,
    artistsByUser: pattern(users, artistCount, kept.rows.slice(0, kept.length), kept.cols.slice(0, kept.length)),
  };
}
