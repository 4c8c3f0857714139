/**
 * An artist-level catalog for the HetRec 2011 Last.fm 2K data set, joined with MusicOSet metadata
 * by artist name (case-insensitive, trimmed). Items in HetRec are artists, so each catalog row is
 * one HetRec artist:
 * - tags: the HetRec tags users applied to the artist, each repeated once per user (a count);
 * - genres: MusicOSet's Spotify genres plus `type:<artist_type>` when known;
 * - numbers: log followers, Spotify popularity and the mean Spotify audio features of the
 *   artist's MusicOSet songs (empty when unmatched: the catalog reader imputes and counts them),
 *   `has_spotify` (1 when matched) and `log_tag_users` (log(1 + users who tagged the artist)).
 *
 * File quirks handled here: HetRec .dat files are tab-separated (tags.dat is latin-1); MusicOSet
 * .csv files are tab-separated too, with mixed CRLF/LF line ends and Python-literal lists and
 * dicts. Neither uses quoting, so lines are split on tabs directly.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic.js';
import path from 'node:path';
import type { Interactions } from '../types.js';
import type { Catalog } from './catalog.js';
import { parsePythonStringList } from './catalog-lists.js';
import { buildCsr } from './csr.js';
import { readCounts } from './read-counts.js';
import { csvField } from '../util/csv-field.js';
import { errorMessage } from '../util/error-message.js';

const AUDIO = ['danceability', 'energy', 'valence', 'acousticness', 'instrumentalness', 'liveness', 'speechiness', 'loudness', 'tempo', 'duration_ms'] as const;

export interface LastfmJoinStats {
  hetrecArtists: number;
  musicosetArtists: number;
  /** HetRec artists whose name matched a MusicOSet artist. */
  matched: number;
  joinRate: number;
  /** Matched artists with at least one song with audio features. */
  withAudio: number;
  /** HetRec artists with at least one tag. */
  tagged: number;
  /** MusicOSet names held by more than one artist id (the most followed one is used). */
  ambiguousNames: number;
}

interface TsvTable {
  header: string[];
  rows: string[][];
}

async function readTsv(file: string, encoding: BufferEncoding = 'utf8'): Promise<TsvTable> {
  const text = await readFile(file, encoding);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const header = lines[0].split('\t').map((h) => h.trim());
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const f = lines[i].split('\t');
    if (f.length !== header.length) throw new Error(`${file}:${i + 1}: expected ${header.length} tab-separated fields, found ${f.length}`);
    rows.push(f);
  }
  return { header, rows };
}

function col(t: TsvTable, name: string, file: string): number {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`${file}: no column '${name}' (found: ${t.header.join(', ')})`);
  return i;
}

const joinKey = (name: string): string => name.trim().toLowerCase();

/** Tokens may not contain the list separator. */
const token = (s: string): string => s.replace(/[|\r\n\t]/g, ' ').trim();

/**
 * Join the two data sets and write the artist-level catalog as CSV to `outFile`. Returns the join
 * statistics and the number of distinct users who tagged each HetRec artist (by artist id).
 */
export async function writeLastfmCatalog(hetrecDir: string, musicosetDir: string, outFile: string): Promise<{ stats: LastfmJoinStats; tagUsers: Map<string, number> }> {
  const artistsFile = path.join(hetrecDir, 'artists.dat');
  const tagsFile = path.join(hetrecDir, 'tags.dat');
  const taggedFile = path.join(hetrecDir, 'user_taggedartists.dat');
  const msArtistsFile = path.join(musicosetDir, 'musicoset_metadata', 'artists.csv');
  const songsFile = path.join(musicosetDir, 'musicoset_metadata', 'songs.csv');
  const audioFile = path.join(musicosetDir, 'musicoset_songfeatures', 'acoustic_features.csv');
  const [hArtists, tags, tagged, msArtists, songs, audio] = await Promise.all([
    readTsv(artistsFile),
    readTsv(tagsFile, 'latin1'),
    readTsv(taggedFile),
    readTsv(msArtistsFile),
    readTsv(songsFile),
    readTsv(audioFile),
  ]);

  // HetRec tags per artist, counted per user, and distinct taggers.
  const tagName = new Map<string, string>();
  for (const r of tags.rows) tagName.set(r[col(tags, 'tagID', tagsFile)], token(r[col(tags, 'tagValue', tagsFile)]).toLowerCase());
  const tagsOf = new Map<string, string[]>();
  const taggers = new Map<string, Set<string>>();
  const [tu, ta, tt] = ['userID', 'artistID', 'tagID'].map((c) => col(tagged, c, taggedFile));
  for (const r of tagged.rows) {
    const name = tagName.get(r[tt]);
    if (!name) continue;
    let list = tagsOf.get(r[ta]);
    if (!list) tagsOf.set(r[ta], (list = []));
    list.push(name);
    let users = taggers.get(r[ta]);
    if (!users) taggers.set(r[ta], (users = new Set()));
    users.add(r[tu]);
  }

  // MusicOSet artists by name; the most followed wins a shared name.
  const [mId, mName, mFollowers, mPop, mType, mGenres] = ['artist_id', 'name', 'followers', 'popularity', 'artist_type', 'genres'].map((c) => col(msArtists, c, msArtistsFile));
  const byName = new Map<string, string[]>();
  const seenNames = new Map<string, number>();
  for (const r of msArtists.rows) {
    const key = joinKey(r[mName]);
    seenNames.set(key, (seenNames.get(key) ?? 0) + 1);
    const prev = byName.get(key);
    if (!prev || Number(r[mFollowers]) > Number(prev[mFollowers])) byName.set(key, r);
  }
  let ambiguousNames = 0;
  for (const c of seenNames.values()) if (c > 1) ambiguousNames++;

  // Mean audio features per MusicOSet artist over their songs.
  const audioCols = AUDIO.map((c) => col(audio, c, audioFile));
  const audioBySong = new Map<string, number[]>();
  const aSong = col(audio, 'song_id', audioFile);
  for (const r of audio.rows) audioBySong.set(r[aSong], audioCols.map((c) => Number(r[c])));
  const sums = new Map<string, { sum: number[]; n: number }>();
  const [sId, sArtists] = ['song_id', 'artists'].map((c) => col(songs, c, songsFile));
  for (const r of songs.rows) {
    const feats = audioBySong.get(r[sId]);
    if (!feats) continue;
    // A Python dict literal {'<spotify id>': 'Name', ...}: Spotify ids are [0-9A-Za-z]{22}.
    for (const m of r[sArtists].matchAll(/'([0-9A-Za-z]+)'\s*:/g)) {
      let acc = sums.get(m[1]);
      if (!acc) sums.set(m[1], (acc = { sum: AUDIO.map(() => 0), n: 0 }));
      feats.forEach((v, j) => (acc.sum[j] += v));
      acc.n++;
    }
  }

  const [hId, hName] = ['id', 'name'].map((c) => col(hArtists, c, artistsFile));
  const header = ['artist_id', 'name', 'genres', 'tags', 'has_spotify', 'log_followers', 'spotify_popularity', 'log_tag_users', ...AUDIO];
  const lines = [header.join(',')];
  let matched = 0;
  let withAudio = 0;
  let taggedArtists = 0;
  const tagUsers = new Map<string, number>();
  for (const r of hArtists.rows) {
    const id = r[hId].trim();
    const m = byName.get(joinKey(r[hName]));
    const genres: string[] = [];
    const nums: string[] = ['0', '', ''];
    let audioMeans: string[] = AUDIO.map(() => '');
    if (m) {
      matched++;
      try {
        genres.push(...parsePythonStringList(m[mGenres]).map(token));
      } catch (err) {
        throw new Error(`${msArtistsFile}: artist ${m[mId]}: genres: ${errorMessage(err)}`);
      }
      const type = m[mType].replace(/'/g, '').trim();
      if (type !== '' && type !== '-') genres.push(`type:${type}`);
      nums[0] = '1';
      nums[1] = String(Math.log1p(Number(m[mFollowers]) || 0));
      nums[2] = m[mPop];
      const acc = sums.get(m[mId]);
      if (acc && acc.n > 0) {
        withAudio++;
        audioMeans = acc.sum.map((s) => String(s / acc.n));
      }
    }
    const artistTags = tagsOf.get(id) ?? [];
    const nTaggers = taggers.get(id)?.size ?? 0;
    tagUsers.set(id, nTaggers);
    if (artistTags.length > 0) taggedArtists++;
    lines.push([csvField(id), csvField(r[hName]), csvField(genres.join('|')), csvField(artistTags.join('|')), ...nums, String(Math.log1p(nTaggers)), ...audioMeans].join(','));
  }
  await writeFileAtomic(outFile, lines.join('\n') + '\n');
  const n = hArtists.rows.length;
  return {
    stats: { hetrecArtists: n, musicosetArtists: msArtists.rows.length, matched, joinRate: matched / n, withAudio, tagged: taggedArtists, ambiguousNames },
    tagUsers,
  };
}

/** HetRec play counts (user_artists.dat) as Interactions whose items are the catalog's artists, in catalog order. */
export async function readLastfmInteractions(hetrecDir: string, catalog: Catalog): Promise<Interactions> {
  const file = path.join(hetrecDir, 'user_artists.dat');
  const counts = await readCounts(file, { userCol: 'userID', itemCol: 'artistID', weightCol: 'weight' });
  const item = new Int32Array(counts.item.length);
  for (let e = 0; e < item.length; e++) {
    const t = catalog.tracks.get(counts.items.ids[counts.item[e]]);
    if (t === undefined) throw new Error(`${file}: artist ${counts.items.ids[counts.item[e]]} is not in the catalog`);
    item[e] = t;
  }
  const m = buildCsr(counts.users.size, catalog.tracks.size, counts.user, item, [counts.weight]);
  return { users: counts.users, items: catalog.tracks, indptr: m.indptr, indices: m.indices, pref: new Float32Array(m.indices.length).fill(1), weight: m.values[0] };
}
