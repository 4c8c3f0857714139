/**
 * The week's evidence as one row per job user over the model's tracks: every event's (listener,
 * track) counts as heard (signed weight 0, neutral in the fold-in), and the signals stage's
 * entries add their signed weights (+weight for a positive entry, −weight for a negative one).
 * Listeners and tracks the maps leave out (−1) are skipped.
 *
 * Entries go straight from the log's and the stage's columns into their rows' buckets (a count,
 * then a placing pass) and are merged there: the same matrix, bit for bit, as buildCsr of the
 * triplets in that order (events in log order, then the stage's entries in account order), without
 * holding the triplets — three arrays as long as the week's events and entries. The matrix is in
 * shared memory, where the weekly job's workers read it (no copy is made for them).
 */
import type { CsrMatrix } from '../data/csr.js';
import { mergeRowBuckets } from '../data/csr-row-buckets.js';
import { sharedArray } from '../util/shared-memory.js';

/** The parts of an event log read here: whose event, on which track (log indices). */
export interface HeardEvents {
  readonly length: number;
  readonly user: Int32Array;
  readonly track: Int32Array;
}

/** The signals stage's entries: rows of log users over log tracks. */
export interface SignedEntries {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly pref: Float32Array;
  readonly weight: Float32Array;
}

/**
 * `userMap`: log user → job user (or −1); `trackMap`: log track → model track (or −1). The result
 * has `users` rows and `tracks` columns, one value channel (the summed signed weights).
 */
export function recentRows(events: HeardEvents, entries: SignedEntries, userMap: Int32Array, trackMap: Int32Array, users: number, tracks: number): CsrMatrix {
  checkMap('userMap', userMap, users);
  checkMap('trackMap', trackMap, tracks);
  const indptr = sharedArray(Int32Array, users + 1);
  const n = events.length;
  const user = events.user;
  const track = events.track;
  for (let e = 0; e < n; e++) {
    const u = userMap[user[e]];
    if (u >= 0 && trackMap[track[e]] >= 0) indptr[u + 1]++;
  }
  const { indptr: ip, indices } = entries;
  const logUsers = ip.length - 1;
  for (let lu = 0; lu < logUsers; lu++) {
    const u = userMap[lu];
    if (!(u >= 0)) continue;
    let c = 0;
    for (let p = ip[lu]; p < ip[lu + 1]; p++) if (trackMap[indices[p]] >= 0) c++;
    indptr[u + 1] += c;
  }
  for (let u = 0; u < users; u++) indptr[u + 1] += indptr[u];
  const total = indptr[users];
  const bucketCols = sharedArray(Int32Array, total);
  const bucketVals = sharedArray(Float32Array, total);
  const next = indptr.slice(0, users);
  // The placing passes skip by the same tests as the counts (`>= 0`), so they fill every bucket exactly.
  for (let e = 0; e < n; e++) {
    const u = userMap[user[e]];
    const t = trackMap[track[e]];
    if (u >= 0 && t >= 0) {
      const p = next[u]++;
      bucketCols[p] = t;
      bucketVals[p] = 0;
    }
  }
  const { pref, weight } = entries;
  for (let lu = 0; lu < logUsers; lu++) {
    const u = userMap[lu];
    if (!(u >= 0)) continue;
    for (let p = ip[lu]; p < ip[lu + 1]; p++) {
      const t = trackMap[indices[p]];
      if (t >= 0) {
        const q = next[u]++;
        bucketCols[q] = t;
        bucketVals[q] = pref[p] > 0 ? weight[p] : -weight[p];
      }
    }
  }
  return mergeRowBuckets(users, tracks, indptr, bucketCols, bucketVals);
}

/** A map's targets must lie in [−1, size): the buckets are indexed by them. */
function checkMap(name: string, map: Int32Array, size: number): void {
  for (let i = 0; i < map.length; i++) {
    const v = map[i];
    if (v < -1 || v >= size) throw new RangeError(`recentRows: ${name}[${i}] = ${v} is outside [-1, ${size})`);
  }
}
