/**
 * Track metadata the playlists need: artist (for the artist cap, exclusions and reasons), and
 * optionally genre, release date and title. Read from a catalog CSV/TSV (columns track_id,
 * artist_id, optional genre, release_date, title) or taken from the events' artist_id column.
 */
import { readDelimited } from '../data/csv-reader.js';
import { Dictionary } from '../data/dictionary.js';
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

const decoder = new TextDecoder();

export async function readTrackCatalog(file: string, tracks: IdDictionary): Promise<TrackMeta & { unknownTracks: number }> {
  const n = tracks.size;
  const artists = new Dictionary();
  const genres = new Dictionary();
  const trackArtist = new Int32Array(n).fill(-1);
  const trackGenre = new Int32Array(n).fill(-1);
  const releaseMs = new Float64Array(n).fill(Number.NaN);
  const titles: string[] = new Array<string>(n).fill('');
  let col = { track: -1, artist: -1, genre: -1, release: -1, title: -1 };
  let unknownTracks = 0;
  await readDelimited(file, {
    header(info) {
      const at = (name: string): number => info.names.indexOf(name);
      col = { track: at('track_id'), artist: at('artist_id'), genre: at('genre'), release: at('release_date'), title: at('title') };
      if (col.track < 0 || col.artist < 0) throw new Error(`${file}:1:1: a catalog needs the columns track_id and artist_id, got ${info.names.join(', ')}`);
    },
    row(r) {
      const field = (c: number): string => decoder.decode(r.bytes.subarray(r.start[c], r.end[c]));
      const t = tracks.get(field(col.track));
      if (t === undefined) {
        unknownTracks++;
        return;
      }
      const a = field(col.artist);
      if (a.length > 0) trackArtist[t] = artists.intern(a);
      if (col.genre >= 0) {
        const g = field(col.genre);
        if (g.length > 0) trackGenre[t] = genres.intern(g);
      }
      if (col.release >= 0) {
        const text = field(col.release);
        if (text.length > 0) {
          const ms = Date.parse(text);
          if (!Number.isFinite(ms)) throw new Error(`${file}:${r.line}:${col.release + 1}: release_date '${text}' is not an ISO date`);
          releaseMs[t] = ms;
        }
      }
      if (col.title >= 0) titles[t] = field(col.title);
    },
    malformed(line, message) {
      throw new Error(`${file}:${line}:1: ${message}`);
    },
  });
  return {
    artists,
    trackArtist,
    ...(col.genre >= 0 ? { genres, trackGenre } : {}),
    ...(col.release >= 0 ? { releaseMs } : {}),
    ...(col.title >= 0 ? { titles } : {}),
    unknownTracks,
  };
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
