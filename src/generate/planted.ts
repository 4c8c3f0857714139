/**
 * The planted taste of a world as functions of (user, track, week): what evaluation calls
 * "planted-taste satisfaction". Users and tracks are dense indices of world.events.users / .tracks;
 * week is 0-based (clamped to the simulated weeks).
 */
import { affinityFromMix, isFavouriteArtist, mixAt, skipFromAffinity } from './taste.js';
import type { World } from './world.js';

function check(world: World, user: number, track: number, week: number): void {
  const { population: p, catalog: c } = world;
  if (!Number.isInteger(user) || user < 0 || user >= p.count) throw new RangeError(`user index ${user} out of range [0, ${p.count})`);
  if (!Number.isInteger(track) || track < 0 || track >= c.tracks.size) {
    throw new RangeError(`track index ${track} out of range [0, ${c.tracks.size})`);
  }
  if (!Number.isFinite(week)) throw new RangeError(`week must be a finite number, got ${week}`);
}

/** Planted affinity in [0, 1] of user for track in week (bots have none: 0 unless a favourite artist). */
export function plantedAffinity(world: World, user: number, track: number, week: number): number {
  check(world, user, track, week);
  const { population: p, catalog: c } = world;
  const G = c.genres.length;
  const mix = new Float64Array(G);
  const max = mixAt(p.mixStart, p.mixEnd, user, G, Math.floor(week), world.options.weeks, mix);
  const fav = isFavouriteArtist(p.favArtistPtr, p.favArtists, user, c.trackArtist[track]);
  return affinityFromMix(mix, max, c.trackGenre[track], c.trackGenre2[track], fav);
}

/** Probability that user skips track when it is served in week: the planted taste mismatch. */
export function skipProbability(world: World, user: number, track: number, week: number): number {
  return skipFromAffinity(plantedAffinity(world, user, track, week), world.population.heavy[user] === 1);
}

/** 1 − skipProbability: the expected rate of (full or partial) plays of a served track. */
export function expectedFullPlayRate(world: World, userIdx: number, trackIdx: number, week: number): number {
  return 1 - skipProbability(world, userIdx, trackIdx, week);
}
