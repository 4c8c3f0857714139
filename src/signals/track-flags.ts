/**
 * Track-level manipulation: tracks whose plays come mostly from accounts judged not human, or
 * mostly beyond the daily per-listener cap.
 */
import type { EventLog } from '../types.js';
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

/** Per track: playbacks, those from accounts judged not human, those accounts, and capped plays. */
export interface TrackPlayCounts {
  plays: Int32Array;
  low: Int32Array;
  lowAccounts: Int32Array;
  cappedPlays: Int32Array;
}

/**
 * `playbacks` are the tracks of the playbacks (not after asOf) by account; `capped` lists the
 * log's plays over the cap. Returns flagged tracks, most bot-played first.
 */
export function flagTracks(log: EventLog, playbacks: AccountTracks, trust: Float32Array, capped: Int32Array, options: TrackFlagOptions): FlaggedTrack[] {
  return judgeTracks(countTrackPlays(log, playbacks, trust, capped, options.notHumanBelow), options);
}

/**
 * The counts flagTracks judges. Counts of accounts split into disjoint sets add up (a sharded
 * stage sums its shards' counts).
 */
export function countTrackPlays(log: EventLog, playbacks: AccountTracks, trust: Float32Array, capped: Int32Array, notHumanBelow: number): TrackPlayCounts {
  const n = log.tracks.size;
  const plays = new Int32Array(n);
  const low = new Int32Array(n);
  const lowAccounts = new Int32Array(n);
  const cappedPlays = new Int32Array(n);
  const { ptr, track } = playbacks;
  for (let p = 0; p < track.length; p++) plays[track[p]]++;
  for (let i = 0; i < capped.length; i++) cappedPlays[log.track[capped[i]]]++;
  // Plays and distinct accounts judged not human per track, from only those accounts' playbacks:
  // a trust lookup per event, at random over a million accounts, took most of this function.
  const lastUser = new Int32Array(n).fill(-1);
  for (let u = 0; u < trust.length; u++) {
    if (!(trust[u] < notHumanBelow)) continue;
    for (let p = ptr[u]; p < ptr[u + 1]; p++) {
      const t = track[p];
      low[t]++;
      if (lastUser[t] !== u) {
        lastUser[t] = u;
        lowAccounts[t]++;
      }
    }
  }
  return { plays, low, lowAccounts, cappedPlays };
}

/** The tracks the counts flag, with reasons, most bot-played first. */
export function judgeTracks(counts: TrackPlayCounts, options: TrackFlagOptions): FlaggedTrack[] {
  const { plays, low, lowAccounts, cappedPlays } = counts;
  const n = plays.length;
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
