/**
 * Writes a world as events.csv, catalog.csv and truth.json. Rows are encoded into a reusable byte
 * buffer (never one giant string) and each file is written to a temporary name first; the three
 * are renamed into place only after all are complete, so readers never see a half-written world.
 *
 * events.csv (sorted by timestamp, stable):
 *   user_id,track_id,timestamp,event,ms_played,track_duration_ms,artist_id,context
 *   - timestamp: ISO-8601 UTC with milliseconds, when the track started (reactions: when they happened);
 *   - event: play | skip | like | dislike | playlist_add | share;
 *   - ms_played: integer ms for play and skip; empty for reactions (like, dislike, playlist_add, share);
 *   - context: `${device}:${region}`, device ∈ mobile|desktop|web|speaker, region ∈ NA|LATAM|EU|AF|AS|OC.
 *   Corrupt rows (options.corruptRows) break exactly one of these rules each; see corrupt.ts.
 * catalog.csv:
 *   track_id,artist_id,title,genres,tags,release_date,duration_ms,danceability,energy,valence,acousticness,tempo
 *   - genres: main genre first, then an optional second, `|`-separated; tags `|`-separated (may be empty);
 *   - release_date: YYYY-MM-DD; features: 3 decimals in [0, 1]; tempo: BPM with 1 decimal.
 */
import { open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EVENT_KINDS } from '../types.js';
import { FLAW } from './event-buffer.js';
import { ByteSink, encodeIds } from './byte-sink.js';
import { TAGS, UNKNOWN_KIND_NAMES } from './vocab.js';
import type { World } from './world.js';
import { csvField } from '../util/csv-field.js';
import { tempSibling } from '../util/atomic.js';
import { makeDirs } from '../util/make-dirs.js';

export const EVENTS_HEADER = 'user_id,track_id,timestamp,event,ms_played,track_duration_ms,artist_id,context';
export const CATALOG_HEADER =
  'track_id,artist_id,title,genres,tags,release_date,duration_ms,danceability,energy,valence,acousticness,tempo';

/** Write a file's bytes to a synced temporary sibling; writeWorld renames all three at the end. */
async function writeTemp(file: string, produce: (sink: ByteSink) => Promise<void>): Promise<string> {
  const tmp = tempSibling(file);
  const fh = await open(tmp, 'w');
  try {
    const sink = new ByteSink(fh);
    await produce(sink);
    await sink.flush();
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  return tmp;
}

const COMMA = 44;
const NEWLINE = 10;

async function writeEvents(world: World, sink: ByteSink): Promise<void> {
  const e = world.events;
  const users = encodeIds(e.users.ids);
  const tracks = encodeIds(e.tracks.ids);
  const artists = encodeIds(e.artists.ids);
  const contexts = encodeIds(e.contexts.ids);
  const kinds = encodeIds(EVENT_KINDS);
  const unknownKinds = encodeIds(UNKNOWN_KIND_NAMES);
  sink.text(EVENTS_HEADER);
  sink.byte(NEWLINE);
  for (let i = 0; i < e.length; i++) {
    const flaw = e.flaw[i];
    const detail = e.detail[i];
    const malformed = flaw === FLAW.malformed_row;
    if (e.user[i] >= 0) sink.bytes(users[e.user[i]]);
    sink.byte(COMMA);
    if (e.track[i] >= 0) sink.bytes(tracks[e.track[i]]);
    sink.byte(COMMA);
    sink.isoTime(e.timestamp[i]);
    sink.byte(COMMA);
    sink.bytes(flaw === FLAW.unknown_event_kind ? unknownKinds[detail] : kinds[e.kind[i]]);
    sink.byte(COMMA);
    if (malformed && detail === 2) sink.text('n/a');
    else if (malformed && detail === 3) sink.text(`${Math.round(e.durationMs[i] / 1000)}s`);
    else sink.number(e.msPlayed[i]);
    sink.byte(COMMA);
    sink.number(e.durationMs[i]);
    sink.byte(COMMA);
    if (e.artist[i] >= 0) sink.bytes(artists[e.artist[i]]);
    // A malformed row of variant 0 lacks its last field; variant 1 has one field too many.
    if (!(malformed && detail === 0)) {
      sink.byte(COMMA);
      sink.bytes(contexts[e.context[i]]);
      if (malformed && detail === 1) sink.text(',extra');
    }
    sink.byte(NEWLINE);
    if (sink.full) await sink.flush();
  }
}

async function writeCatalog(world: World, sink: ByteSink): Promise<void> {
  const c = world.catalog;
  sink.text(CATALOG_HEADER);
  sink.byte(NEWLINE);
  for (let t = 0; t < c.tracks.size; t++) {
    const genres = c.trackGenre2[t] >= 0 ? `${c.genres[c.trackGenre[t]]}|${c.genres[c.trackGenre2[t]]}` : c.genres[c.trackGenre[t]];
    const tags: string[] = [];
    for (let k = 0; k < TAGS.length; k++) if (c.trackTags[t] & (1 << k)) tags.push(TAGS[k]);
    sink.text(
      [
        c.tracks.ids[t],
        c.artists.ids[c.trackArtist[t]],
        csvField(c.titles[t]),
        csvField(genres),
        tags.join('|'),
        new Date(c.releaseMs[t]).toISOString().slice(0, 10),
        String(c.durationMs[t]),
        c.danceability[t].toFixed(3),
        c.energy[t].toFixed(3),
        c.valence[t].toFixed(3),
        c.acousticness[t].toFixed(3),
        c.tempo[t].toFixed(1),
      ].join(','),
    );
    sink.byte(NEWLINE);
    if (sink.full) await sink.flush();
  }
}

async function writeTruth(file: string, world: World): Promise<string> {
  const tmp = tempSibling(file);
  await writeFile(tmp, JSON.stringify(world.truth) + '\n', { flush: true });
  return tmp;
}

/** Writes events.csv, catalog.csv and truth.json into dir (created when missing). */
export async function writeWorld(world: World, dir: string): Promise<void> {
  if (typeof dir !== 'string' || dir.length === 0) throw new TypeError('writeWorld: dir must be a non-empty path');
  await makeDirs(dir);
  const targets = ['events.csv', 'catalog.csv', 'truth.json'].map((f) => path.join(dir, f));
  const temps: string[] = [];
  try {
    temps.push(await writeTemp(targets[0], (s) => writeEvents(world, s)));
    temps.push(await writeTemp(targets[1], (s) => writeCatalog(world, s)));
    temps.push(await writeTruth(targets[2], world));
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw err;
  }
  for (let i = 0; i < targets.length; i++) await rename(temps[i], targets[i]);
}
