/**
 * Track metadata the playlists need: artist (for the artist cap, exclusions and reasons), and
 * optionally genre, release date and title: from the ingested catalog when there is one, else the
 * artist from the events' artist_id column.
 */
import { mainGenre, type Catalog } from '../data/catalog.js';
import { Dictionary } from '../data/dictionary.js';
import type { ContentModelData } from '../content/content-model.js';
import type { EventLog, IdDictionary } from '../types.js';

/** Metadata aligned with the model's track indices. */
export interface TrackMeta {
  artists: Dictionary;
  /** Artist index per model track, −1 unknown. */
  trackArtist: Int32Array;
  genres?: Dictionary;
  trackGenre?: Int32Array;
  /** Release time per model track, NaN unknown. */
  releaseMs?: Float64Array;
  /** Title per model track ('' unknown). */
  titles?: string[];
}

/**
 * Metadata from an ingested catalog, aligned with the model's tracks: artist, main genre (the
 * genre listed most often for the track), release date and title. Model tracks missing from the
 * catalog keep −1 / NaN / ''.
 */
export function trackMetaFromCatalog(catalog: Catalog, tracks: IdDictionary): TrackMeta & { missingTracks: number } {
  const n = tracks.size;
  const trackArtist = new Int32Array(n).fill(-1);
  const trackGenre = new Int32Array(n).fill(-1);
  const releaseMs = new Float64Array(n).fill(Number.NaN);
  const titles: string[] = new Array<string>(n).fill('');
  const g = catalog.genres;
  let missingTracks = 0;
  for (let t = 0; t < n; t++) {
    const c = catalog.tracks.get(tracks.ids[t]);
    if (c === undefined) {
      missingTracks++;
      continue;
    }
    trackArtist[t] = catalog.trackArtist[c];
    releaseMs[t] = catalog.releaseMs[c];
    titles[t] = catalog.titles[c] ?? '';
    trackGenre[t] = mainGenre(g, c);
  }
  return { artists: catalog.artists, trackArtist, genres: g.vocab, trackGenre, releaseMs, titles, missingTracks };
}

/** Artists from the events' artist column (first known artist of each track). */
export function trackMetaFromEvents(log: EventLog, tracks: IdDictionary): TrackMeta {
  const artists = new Dictionary();
  const trackArtist = new Int32Array(tracks.size).fill(-1);
  if (log.artist && log.artists) {
    const logToModel = new Int32Array(log.tracks.size);
    for (let t = 0; t < log.tracks.size; t++) logToModel[t] = tracks.get(log.tracks.ids[t]) ?? -1;
    const artistMap = new Int32Array(log.artists.size).fill(-1);
    for (let e = 0; e < log.length; e++) {
      const a = log.artist[e];
      const t = logToModel[log.track[e]];
      if (a < 0 || t < 0 || trackArtist[t] >= 0) continue;
      if (artistMap[a] < 0) artistMap[a] = artists.intern(log.artists.ids[a]);
      trackArtist[t] = artistMap[a];
    }
  }
  return { artists, trackArtist };
}

/**
 * Metadata from the content model saved with a model trained with a catalog, without the catalog
 * file: every catalog track's artist and, for models saved with them, main genre, release date
 * and title. Model tracks outside the content model keep −1 / NaN / ''.
 */
export function trackMetaFromContent(content: ContentModelData, tracks: IdDictionary): TrackMeta {
  const n = tracks.size;
  const trackArtist = new Int32Array(n).fill(-1);
  const row = new Int32Array(n).fill(-1);
  for (let c = 0; c < content.tracks.size; c++) {
    const t = tracks.get(content.tracks.ids[c]);
    if (t === undefined) continue;
    trackArtist[t] = content.trackArtist[c];
    row[t] = c;
  }
  const l = content.listing;
  if (!l) return { artists: content.artists, trackArtist };
  const trackGenre = new Int32Array(n).fill(-1);
  const releaseMs = new Float64Array(n).fill(Number.NaN);
  const titles = new Array<string>(n).fill('');
  for (let t = 0; t < n; t++) {
    const c = row[t];
    if (c < 0) continue;
    trackGenre[t] = l.mainGenre[c];
    releaseMs[t] = l.releaseMs[c];
    titles[t] = l.titles[c];
  }
  return { artists: content.artists, trackArtist, genres: l.genres, trackGenre, releaseMs, titles };
}
