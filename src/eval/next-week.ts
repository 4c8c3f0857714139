/**
 * The weekly protocol on an event log: train as of a cut, test on the tracks each user first
 * listened to (positively) in the following week. A listen counts when it is a play heard past
 * the early-skip threshold, or a like, playlist add or share.
 */
import { EVENT_CODE, type EventLog } from '../types.js';
import { defaultSignalsConfig } from '../signals/index.js';
import { isEarlySkip } from '../signals/evidence.js';
import { cutDateSplit } from './temporal-split.js';
import type { SparseRows } from './sparse.js';

export interface NextWeekSplit {
  cut: number;
  test: SparseRows;
  /** Users with at least one test item. */
  users: Int32Array;
  /** Per track, the users who listened to it (positively, as above) before the cut. */
  listeners: Float64Array;
}

export function nextWeekSplit(log: EventLog, cut: number, horizonDays = 7): NextWeekSplit {
  const config = defaultSignalsConfig();
  const positive = new Float32Array(log.length);
  const liked = new Set([EVENT_CODE.like, EVENT_CODE.playlist_add, EVENT_CODE.share]);
  for (let e = 0; e < log.length; e++) {
    const kind = log.kind[e];
    if (liked.has(kind)) positive[e] = 1;
    else if (kind === EVENT_CODE.play && !isEarlySkip(kind, log.msPlayed[e], log.durationMs ? log.durationMs[e] : Number.NaN, config)) positive[e] = 1;
  }
  const split = cutDateSplit(log.user, log.track, positive, log.timestamp, log.users.size, log.tracks.size, { cut, horizonDays });
  const users: number[] = [];
  for (let u = 0; u < split.test.rows; u++) if (split.test.indptr[u + 1] > split.test.indptr[u]) users.push(u);
  const listeners = new Float64Array(log.tracks.size);
  const train = split.train;
  for (let p = 0; p < train.indices.length; p++) if (train.weight[p] > 0) listeners[train.indices[p]]++;
  return { cut, test: split.test, users: Int32Array.from(users), listeners };
}
