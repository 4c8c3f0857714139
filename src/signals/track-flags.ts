/**
 * Track-level manipulation: tracks whose plays come mostly from accounts judged not human, or
 * mostly beyond the daily per-listener cap.
 */
import type { EventLog } from '../types.js';
import { isPlayback } from './evidence.js';
import type { AccountTracks } from './playbacks.js';
import { percent } from './trust.js';

export interface TrackFlagOptions {
  notHumanBelow: number;
  shareAbove: number;
  minPlays: number;
  cap: number;
}

export interface FlaggedTrack {
  track: number;
  /** Plays from accounts judged not human (orders the list). */
  lowTrustPlays: number;
  reasons: string[];
}

/**
 * `present` lists the events not after asOf; `playbacks` the tracks of its playbacks by account;
 * `capped[e]` marks plays over the cap. Returns flagged tracks, most bot-played first.
 */
export function flagTracks(
  log: EventLog,
  present: Int32Array,
  playbacks: AccountTracks,
  trust: Float32Array,
  capped: Uint8Array,
  options: TrackFlagOptions,
): FlaggedTrack[] {
  const n = log.tracks.size;
  const plays = new Int32Array(n);
  const low = new Int32Array(n);
  const lowAccounts = new Int32Array(n);
  const cappedPlays = new Int32Array(n);
  for (let i = 0; i < present.length; i++) {
    const e = present[i];
    if (!isPlayback(log.kind[e])) continue;
    const t = log.track[e];
    plays[t]++;
    if (capped[e]) cappedPlays[t]++;
    if (trust[log.user[e]] < options.notHumanBelow) low[t]++;
  }
  // Distinct untrusted accounts per track: walk only those accounts' playbacks.
  const lastUser = new Int32Array(n).fill(-1);
  const { ptr, track } = playbacks;
  for (let u = 0; u < trust.length; u++) {
    if (!(trust[u] < options.notHumanBelow)) continue;
    for (let p = ptr[u]; p < ptr[u + 1]; p++) {
      const t = track[p];
      if (lastUser[t] !== u) {
        lastUser[t] = u;
        lowAccounts[t]++;
      }
    }
  }
  const flagged: FlaggedTrack[] = [];
  for (let t = 0; t < n; t++) {
    if (plays[t] < options.minPlays) continue;
    const reasons: string[] = [];
    if (low[t] / plays[t] > options.shareAbove) {
      const accounts = lowAccounts[t] === 1 ? '1 account' : `${lowAccounts[t]} accounts`;
      reasons.push(`${percent(low[t] / plays[t])} of its ${plays[t]} plays come from ${accounts} judged not human`);
    }
    if (cappedPlays[t] / plays[t] > options.shareAbove) {
      reasons.push(
        `${percent(cappedPlays[t] / plays[t])} of its ${plays[t]} plays exceed the cap of ${options.cap} plays per listener and day`,
      );
    }
    if (reasons.length > 0) flagged.push({ track: t, lowTrustPlays: low[t], reasons });
  }
  flagged.sort((a, b) => b.lowTrustPlays - a.lowTrustPlays || a.track - b.track);
  return flagged;
}
