/**
 * A generated world's catalog as the playlist stage's track metadata, aligned with a model's
 * tracks (looked up by id): artist, main genre, release time and title.
 */
import { Dictionary } from '../data/dictionary.js';
import type { TrackMeta } from '../playlist/catalog.js';
import type { IdDictionary } from '../types.js';
import type { World } from './world.js';

export function worldTrackMeta(world: World, tracks: IdDictionary): TrackMeta {
  const c = world.catalog;
  const n = tracks.size;
  const trackArtist = new Int32Array(n).fill(-1);
  const trackGenre = new Int32Array(n).fill(-1);
  const releaseMs = new Float64Array(n).fill(Number.NaN);
  const titles = new Array<string>(n).fill('');
  for (let t = 0; t < n; t++) {
    const w = c.tracks.get(tracks.ids[t]);
    if (w === undefined) continue;
    trackArtist[t] = c.trackArtist[w];
    trackGenre[t] = c.trackGenre[w];
    releaseMs[t] = c.releaseMs[w];
    titles[t] = c.titles[w];
  }
  const genres = new Dictionary();
  for (const g of c.genres) genres.intern(g);
  return { artists: c.artists, trackArtist, genres, trackGenre, releaseMs, titles };
}
