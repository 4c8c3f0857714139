/**
 * The range's entries from its events' evidence: grouped by account, each account's evidence is
 * summed per track (values ≥ 0 and the magnitudes of those < 0 apart, as float32 sums in log
 * order), then netted into a preference and a weight scaled by the account's trust. Per account,
 * KeySlots numbers the tracks, so no sort of every event by (user, track) is needed: that sort
 * took 25 bytes of scratch an event besides its keys, and most of the stage's entry building.
 */
import { repeatTransform } from './evidence.js';
import type { SignalsConfig } from './config.js';
import type { EventLog } from '../types.js';
import { takeArray, type ArrayPool } from '../util/array-pool.js';
import { groupRows, placeColumn } from '../util/group-rows.js';
import { KeySlots } from '../util/key-slots.js';

/** Accounts with at most this many entries order them by insertion (a native sort costs more to call). */
const SMALL_ROW = 32;

/** Events' evidence grouped by account, in log order within each. */
export interface AccountEvidence {
  /** Account u's rows: ptr[u] .. ptr[u + 1). */
  ptr: Int32Array;
  track: Int32Array;
  evidence: Float32Array;
}

export interface NettedEntries {
  indptr: Int32Array;
  indices: Int32Array;
  pref: Float32Array;
  weight: Float32Array;
  positive: number;
  negative: number;
  /** Entries of accounts dropped for low trust. */
  dropped: number;
}

/**
 * `events` (ascending) and their `evidence` (aligned) grouped by account. The columns come from
 * `pool`; the caller gives them back.
 */
export function groupEvidence(log: EventLog, events: Int32Array, evidence: Float32Array, pool: ArrayPool): AccountEvidence {
  const groups = groupRows(events, log.user, log.users.size, pool);
  const n = events.length;
  const track = placeColumn(groups, events, log.track, takeArray(pool, Int32Array, n, { zeroed: false }));
  const placed = takeArray(pool, Float32Array, n, { zeroed: false });
  const { place } = groups;
  for (let j = 0; j < n; j++) placed[place[j]] = evidence[j];
  pool.give(place);
  return { ptr: groups.ptr, track, evidence: placed };
}

/**
 * Entries in CSR form, columns ascending within each row: per (account, track), P and N are the
 * repeat-transformed sums of evidence ≥ 0 and of the magnitudes of evidence < 0; P > N gives
 * preference 1 with weight (P − N)·trust, else preference 0 with weight (N − P)·negativeConfidence·trust.
 * Accounts with trust below the drop threshold (anomaly filtering on) keep no entries.
 */
export function netEntries(grouped: AccountEvidence, trust: Float32Array, config: SignalsConfig, pool: ArrayPool): NettedEntries {
  const { ptr, track, evidence } = grouped;
  const users = ptr.length - 1;
  const dropBelow = config.anomaly.enabled ? config.anomaly.dropBelowTrust : 0;
  const slots = new KeySlots();
  // First the entries' count per account, so that the results have their exact size.
  const indptr = new Int32Array(users + 1);
  let dropped = 0;
  let most = 0;
  for (let u = 0; u < users; u++) {
    const from = ptr[u];
    const to = ptr[u + 1];
    let d = 0;
    if (to > from) {
      slots.reset(to - from);
      for (let p = from; p < to; p++) slots.idOf(track[p], 0);
      d = slots.size;
      most = Math.max(most, to - from);
    }
    const keep = trust[u] >= dropBelow;
    if (!keep) dropped += d;
    indptr[u + 1] = indptr[u] + (keep ? d : 0);
  }
  const nnz = indptr[users];
  // The results reuse scratch (every place is written); fresh, they would add their size to the
  // stage's peak while the pool still holds its buffers.
  const output = { zeroed: false, room: false };
  const indices = pool.take(Int32Array, nnz, output);
  const pref = pool.take(Float32Array, nnz, output);
  const weight = pool.take(Float32Array, nnz, output);
  const pos = new Float32Array(most);
  const neg = new Float32Array(most);
  const order = new Int32Array(most);
  let positive = 0;
  let negative = 0;
  for (let u = 0; u < users; u++) {
    const from = ptr[u];
    const to = ptr[u + 1];
    const begin = indptr[u];
    const end = indptr[u + 1];
    if (end === begin) continue;
    slots.reset(to - from);
    for (let p = from; p < to; p++) {
      const seen = slots.size;
      const id = slots.idOf(track[p], 0);
      if (id === seen) {
        pos[id] = 0;
        neg[id] = 0;
        indices[begin + id] = track[p];
      }
      const x = evidence[p];
      if (x >= 0) pos[id] += x;
      else neg[id] += -x;
    }
    const d = end - begin;
    // Columns ascending: a small account's by insertion, carrying each track's number; a large
    // one's by the native sort, its numbers then looked up again.
    if (d <= SMALL_ROW) {
      for (let i = 0; i < d; i++) order[i] = i;
      for (let i = 1; i < d; i++) {
        const t = indices[begin + i];
        const id = order[i];
        let j = i - 1;
        while (j >= 0 && indices[begin + j] > t) {
          indices[begin + j + 1] = indices[begin + j];
          order[j + 1] = order[j];
          j--;
        }
        indices[begin + j + 1] = t;
        order[j + 1] = id;
      }
    } else {
      indices.subarray(begin, end).sort();
      for (let i = 0; i < d; i++) order[i] = slots.idOf(indices[begin + i], 0);
    }
    for (let i = 0; i < d; i++) {
      const q = begin + i;
      const id = order[i];
      const P = repeatTransform(pos[id], config);
      const N = repeatTransform(neg[id], config);
      if (P > N) {
        pref[q] = 1;
        weight[q] = (P - N) * trust[u];
        positive++;
      } else {
        pref[q] = 0;
        weight[q] = (N - P) * config.negativeConfidence * trust[u];
        if (N > P) negative++;
      }
    }
  }
  return { indptr, indices, pref, weight, positive, negative, dropped };
}
