/**
 * The synthetic catalog: genres → artists → tracks, columnar. Popularity is power-law across
 * artists and within each artist's tracks; audio features scatter around the genre's profile; a
 * share of tracks are released during the simulated weeks (on each week's Friday).
 */
import { Dictionary } from '../data/dictionary.js';
import { AliasTable } from './alias.js';
import { DAY, WEEK, dateToMs } from './clock.js';
import type { ResolvedOptions } from './options.js';
import { Rng } from './rng.js';
import { GENRE_PROFILES, type GenreProfile, TAGS, TITLE_ADJECTIVES, TITLE_NOUNS } from './vocab.js';
import { STREAM } from './streams.js';

export interface SyntheticCatalog {
  readonly genres: readonly string[];
  readonly genreProfiles: readonly GenreProfile[];
  /** Global (region-free) weight of each genre. */
  readonly genreWeight: Float64Array;
  readonly artists: Dictionary;
  readonly tracks: Dictionary;
  /** Main genre of each artist; second genre or -1. */
  readonly artistGenre: Int16Array;
  readonly artistGenre2: Int16Array;
  /** Planted artist popularity (Zipf over a random ranking). */
  readonly artistWeight: Float64Array;
  /** CSR: tracks of artist a are artistTracks[artistTrackPtr[a] .. artistTrackPtr[a+1]), most popular first. */
  readonly artistTrackPtr: Int32Array;
  readonly artistTracks: Int32Array;
  readonly trackArtist: Int32Array;
  /** Main genre of each track; second genre or -1 (a track with two genres is 0.7 main, 0.3 second). */
  readonly trackGenre: Int16Array;
  readonly trackGenre2: Int16Array;
  /** Bit t set when the track carries TAGS[t]. */
  readonly trackTags: Uint16Array;
  readonly titles: readonly string[];
  /** Release instant (00:00 UTC of the release date). */
  readonly releaseMs: Float64Array;
  /** Week of release for new releases, -1 for the back catalog. */
  readonly releaseWeek: Int16Array;
  readonly durationMs: Float32Array;
  readonly danceability: Float32Array;
  readonly energy: Float32Array;
  readonly valence: Float32Array;
  readonly acousticness: Float32Array;
  readonly tempo: Float32Array;
  /** Planted popularity weight of each track (relative chance of being picked within a genre). */
  readonly popularity: Float64Array;
}

/** Share of a track's genre weight going to its main genre when it has two. */
export const MAIN_GENRE_SHARE = 0.7;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function genreProfiles(count: number, rng: Rng): GenreProfile[] {
  const out = GENRE_PROFILES.slice(0, count);
  for (let g = out.length; g < count; g++) {
    out.push({
      name: `genre-${g + 1}`,
      danceability: rng.range(0.25, 0.85),
      energy: rng.range(0.2, 0.9),
      valence: rng.range(0.2, 0.8),
      acousticness: rng.range(0.05, 0.9),
      tempo: rng.range(80, 150),
      seconds: rng.range(170, 320),
    });
  }
  return out;
}

export function buildCatalog(o: ResolvedOptions): SyntheticCatalog {
  const rng = new Rng(o.seed, STREAM.catalog);
  const G = o.genres;
  const A = o.artists;
  const T = o.tracks;
  const startMs = dateToMs(o.start);

  const profiles = genreProfiles(G, rng);
  const genreWeight = new Float64Array(G);
  for (let g = 0; g < G; g++) genreWeight[g] = 1 / Math.pow(g + 1, 0.8);
  const genreTable = new AliasTable(genreWeight);

  // Artists: genre(s) and a Zipf popularity over a random ranking.
  const artistGenre = new Int16Array(A);
  const artistGenre2 = new Int16Array(A).fill(-1);
  const artistWeight = new Float64Array(A);
  const artistRank = rng.permutation(A);
  for (let a = 0; a < A; a++) {
    const g = genreTable.sample(rng);
    artistGenre[a] = g;
    if (G > 1 && rng.chance(0.3)) {
      let g2 = genreTable.sample(rng);
      for (let tries = 0; g2 === g && tries < 8; tries++) g2 = genreTable.sample(rng);
      if (g2 !== g) artistGenre2[a] = g2;
    }
    artistWeight[a] = 1 / Math.pow(artistRank[a] + 1, 0.9);
  }

  // Track counts: one each, the rest favouring popular artists (big artists release more).
  const trackCount = new Int32Array(A).fill(1);
  const prolific = new AliasTable(Float64Array.from(artistWeight, (w) => Math.sqrt(w)));
  for (let r = A; r < T; r++) trackCount[prolific.sample(rng)]++;
  const artistTrackPtr = new Int32Array(A + 1);
  for (let a = 0; a < A; a++) artistTrackPtr[a + 1] = artistTrackPtr[a] + trackCount[a];
  // Track indices are a random permutation so an index says nothing about artist or popularity.
  const artistTracks = rng.permutation(T);

  const trackArtist = new Int32Array(T);
  const trackGenre = new Int16Array(T);
  const trackGenre2 = new Int16Array(T).fill(-1);
  const popularity = new Float64Array(T);
  for (let a = 0; a < A; a++) {
    for (let k = artistTrackPtr[a], r = 0; k < artistTrackPtr[a + 1]; k++, r++) {
      const t = artistTracks[k];
      trackArtist[t] = a;
      trackGenre[t] = artistGenre[a];
      if (artistGenre2[a] >= 0 && rng.chance(0.6)) trackGenre2[t] = artistGenre2[a];
      // Rank r within the artist: a steep Zipf, with a little noise so ranks are not exact.
      popularity[t] = (artistWeight[a] / Math.pow(r + 1, 1.1)) * rng.logNormal(0, 0.3);
    }
  }

  // Audio features around the genre profile (blended 0.7/0.3 for two-genre tracks).
  const durationMs = new Float32Array(T);
  const danceability = new Float32Array(T);
  const energy = new Float32Array(T);
  const valence = new Float32Array(T);
  const acousticness = new Float32Array(T);
  const tempo = new Float32Array(T);
  const titles: string[] = new Array(T);
  for (let t = 0; t < T; t++) {
    const pa = profiles[trackGenre[t]];
    const pb = trackGenre2[t] >= 0 ? profiles[trackGenre2[t]] : pa;
    const m = trackGenre2[t] >= 0 ? MAIN_GENRE_SHARE : 1;
    const mix = (x: number, y: number): number => m * x + (1 - m) * y;
    danceability[t] = Math.round(clamp01(mix(pa.danceability, pb.danceability) + 0.1 * rng.normal()) * 1000) / 1000;
    energy[t] = Math.round(clamp01(mix(pa.energy, pb.energy) + 0.1 * rng.normal()) * 1000) / 1000;
    valence[t] = Math.round(clamp01(mix(pa.valence, pb.valence) + 0.12 * rng.normal()) * 1000) / 1000;
    acousticness[t] = Math.round(clamp01(mix(pa.acousticness, pb.acousticness) + 0.1 * rng.normal()) * 1000) / 1000;
    tempo[t] = Math.round(Math.min(210, Math.max(50, mix(pa.tempo, pb.tempo) + 10 * rng.normal())) * 10) / 10;
    const seconds = Math.min(900, Math.max(60, mix(pa.seconds, pb.seconds) * rng.logNormal(0, 0.18)));
    durationMs[t] = Math.round(seconds * 1000);
    titles[t] = `${TITLE_ADJECTIVES[rng.int(TITLE_ADJECTIVES.length)]} ${TITLE_NOUNS[rng.int(TITLE_NOUNS.length)]}`;
  }

  // Release dates: weekly new releases on each week's Friday; the back catalog over the past decades.
  const releaseMs = new Float64Array(T);
  const releaseWeek = new Int16Array(T).fill(-1);
  const order = rng.permutation(T);
  let k = 0;
  for (let w = 0; w < o.weeks; w++) {
    for (let i = 0; i < o.newReleasesPerWeek; i++, k++) {
      releaseWeek[order[k]] = w;
      releaseMs[order[k]] = startMs + w * WEEK + 4 * DAY;
    }
  }
  for (; k < T; k++) {
    const daysBefore = 7 + Math.min(15000, Math.floor(rng.exponential(1500)));
    releaseMs[order[k]] = startMs - daysBefore * DAY;
  }

  const trackTags = new Uint16Array(T);
  const tag = (name: string): number => 1 << TAGS.indexOf(name);
  const twentyYears = 20 * 365 * DAY;
  for (let t = 0; t < T; t++) {
    let bits = 0;
    if (danceability[t] > 0.72) bits |= tag('dance');
    if (energy[t] < 0.35) bits |= tag('chill');
    if (acousticness[t] > 0.7) bits |= tag('acoustic');
    if (valence[t] > 0.7 && energy[t] > 0.6) bits |= tag('upbeat');
    if (valence[t] < 0.25) bits |= tag('sad');
    if (energy[t] > 0.8 && tempo[t] > 125) bits |= tag('workout');
    if (energy[t] < 0.4 && acousticness[t] > 0.5) bits |= tag('focus');
    if (danceability[t] > 0.7 && energy[t] > 0.7) bits |= tag('party');
    if (releaseMs[t] < startMs - twentyYears) bits |= tag('classic');
    if (rng.chance(0.05)) bits |= tag('live');
    if (rng.chance(0.04)) bits |= tag('remix');
    if (releaseWeek[t] >= 0) bits |= tag('new');
    trackTags[t] = bits;
  }

  const aw = Math.max(5, String(A).length);
  const tw = Math.max(6, String(T).length);
  const artists = Dictionary.from(Array.from({ length: A }, (_, a) => `ar${pad(a + 1, aw)}`));
  const tracks = Dictionary.from(Array.from({ length: T }, (_, t) => `tr${pad(t + 1, tw)}`));
  return {
    genres: profiles.map((pr) => pr.name),
    genreProfiles: profiles,
    genreWeight,
    artists,
    tracks,
    artistGenre,
    artistGenre2,
    artistWeight,
    artistTrackPtr,
    artistTracks,
    trackArtist,
    trackGenre,
    trackGenre2,
    trackTags,
    titles,
    releaseMs,
    releaseWeek,
    durationMs,
    danceability,
    energy,
    valence,
    acousticness,
    tempo,
    popularity,
  };
}
