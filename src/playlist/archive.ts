/**
 * The playlist archive: a directory with one CSV per week, `<YYYY>-W<ww>.csv`, columns
 * `user_id,track_id` (one row per playlist slot, users grouped). The weekly job reads the last W
 * weeks before the current one to keep repeats out, then adds the current week's file atomically
 * (re-running a week replaces its file).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readDelimited } from '../data/csv-reader.js';
import { ByteInterner } from '../data/byte-interner.js';
import { mergeRowBuckets } from '../data/csr-row-buckets.js';
import { sharedArray } from '../util/shared-memory.js';
import { Dictionary } from '../data/dictionary.js';
import type { IdDictionary } from '../types.js';
import { AtomicTextWriter } from '../util/atomic-writer.js';
import { csvField } from '../util/csv-field.js';
import type { UserRows } from '../retrieve/exclusion-rows.js';
import { WEEK_PATTERN } from './week.js';
import { errorMessage } from '../util/error-message.js';
import { makeDirs } from '../util/make-dirs.js';

/** The weeks stored in the archive, oldest first. */
export async function archiveWeeks(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${dir}: cannot read the playlist archive (${errorMessage(err)})`);
  }
  return names
    .filter((n) => n.endsWith('.csv') && WEEK_PATTERN.test(n.slice(0, -4)))
    .map((n) => n.slice(0, -4))
    .sort();
}

/** The `count` weeks before `week` that the archive holds (fewer when it holds fewer). */
export async function previousWeeks(dir: string, week: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const weeks = (await archiveWeeks(dir)).filter((w) => w < week);
  return weeks.slice(Math.max(0, weeks.length - count));
}

/**
 * The rows of some archive weeks with their ids as read: each distinct user and track id interned
 * once (`users`, `tracks`, in order of first appearance; −1 stands for an id that is not UTF-8).
 * Users come in runs (the job writes each user's rows together), so a user is stored once a run
 * and the tracks in chunks: about 4 bytes a row. Parsing is most of an archive's cost and needs no
 * model, so it can run while the week's events are weighed; matchArchive then places the rows.
 */
export interface ParsedArchive {
  readonly users: Dictionary;
  readonly tracks: Dictionary;
  readonly rows: number;
  /** User of each run of rows, and the row count at the run's end. */
  readonly runUser: Int32Array;
  readonly runEnd: Int32Array;
  /** Track of each row, in chunks of TRACK_CHUNK rows (the last one partly filled). */
  readonly trackChunks: readonly Int32Array[];
}

const TRACK_CHUNK_BITS = 20;
const TRACK_CHUNK = 1 << TRACK_CHUNK_BITS;

/** Parses the given archive weeks (see ParsedArchive); a malformed line fails naming file and line. */
export async function parseArchive(dir: string, weeks: readonly string[]): Promise<ParsedArchive> {
  const users = new Dictionary();
  const tracks = new Dictionary();
  const userIds = new ByteInterner(users);
  const trackIds = new ByteInterner(tracks);
  let runUser: Int32Array = new Int32Array(1024);
  let runEnd: Int32Array = new Int32Array(1024);
  let runs = 0;
  const trackChunks: Int32Array[] = [];
  let chunk = new Int32Array(0);
  let rows = 0;
  // The last row's user id bytes: a row of the same user (most rows) skips the lookup.
  let last = new Uint8Array(64);
  let lastLength = -1;
  let lastUser = 0;
  for (const week of weeks) {
    const file = path.join(dir, `${week}.csv`);
    let ui = -1;
    let ti = -1;
    await readDelimited(file, {
      header(info) {
        ui = info.names.indexOf('user_id');
        ti = info.names.indexOf('track_id');
        if (ui < 0 || ti < 0) throw new Error(`${file}:1:1: archive files need the columns user_id and track_id, got ${info.names.join(', ')}`);
      },
      row(r) {
        const b = r.bytes;
        const s = r.start[ui];
        const length = r.end[ui] - s;
        if (!sameBytes(last, lastLength, b, s, length)) {
          const u = userIds.internBytes(b, s, s + length);
          if (length > last.length) last = new Uint8Array(Math.max(length, 2 * last.length));
          last.set(b.subarray(s, s + length));
          lastLength = length;
          if (runs === 0 || u !== lastUser) {
            if (runs === runUser.length) {
              runUser = grown(runUser);
              runEnd = grown(runEnd);
            }
            runUser[runs++] = u;
            lastUser = u;
          }
        }
        if (rows % TRACK_CHUNK === 0) trackChunks.push((chunk = new Int32Array(TRACK_CHUNK)));
        chunk[rows % TRACK_CHUNK] = trackIds.internBytes(b, r.start[ti], r.end[ti]);
        rows++;
        runEnd[runs - 1] = rows;
      },
      malformed(line, message) {
        throw new Error(`${file}:${line}:1: ${message}`);
      },
    }, { allowEmpty: true });
  }
  return { users, tracks, rows, runUser: runUser.subarray(0, runs), runEnd: runEnd.subarray(0, runs), trackChunks };
}

function sameBytes(a: Uint8Array, length: number, b: Uint8Array, s: number, bLength: number): boolean {
  if (length !== bLength) return false;
  for (let i = 0; i < length; i++) if (a[i] !== b[s + i]) return false;
  return true;
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Tracks of the parsed archive weeks per user, as user rows over `users` × `tracks` (a job's
 * users and the model's tracks). Rows whose user or track they do not hold are skipped and counted.
 */
export function matchArchive(parsed: ParsedArchive, users: IdDictionary, tracks: IdDictionary): { rows: UserRows; pairs: number; unknown: number } {
  const userMap = Int32Array.from(parsed.users.ids, (id) => users.get(id) ?? -1);
  const trackMap = Int32Array.from(parsed.tracks.ids, (id) => tracks.get(id) ?? -1);
  const { runUser, runEnd, trackChunks } = parsed;
  // Each known pair straight into its user's bucket, then merged (mergeRowBuckets).
  // In shared memory, where the weekly job's workers read the rows (no copy is made for them).
  const indptr = sharedArray(Int32Array, users.size + 1);
  let unknown = 0;
  let begin = 0;
  for (let run = 0; run < runUser.length; run++) {
    const lu = runUser[run];
    const u = lu >= 0 ? userMap[lu] : -1;
    const end = runEnd[run];
    if (u < 0) unknown += end - begin;
    else {
      for (let row = begin; row < end; row++) {
        const lt = trackChunks[row >>> TRACK_CHUNK_BITS][row & (TRACK_CHUNK - 1)];
        if (lt >= 0 && trackMap[lt] >= 0) indptr[u + 1]++;
        else unknown++;
      }
    }
    begin = end;
  }
  for (let u = 0; u < users.size; u++) indptr[u + 1] += indptr[u];
  const cols = sharedArray(Int32Array, parsed.rows - unknown);
  const next = indptr.slice(0, users.size);
  begin = 0;
  for (let run = 0; run < runUser.length; run++) {
    const lu = runUser[run];
    const u = lu >= 0 ? userMap[lu] : -1;
    const end = runEnd[run];
    if (u >= 0) {
      for (let row = begin; row < end; row++) {
        const lt = trackChunks[row >>> TRACK_CHUNK_BITS][row & (TRACK_CHUNK - 1)];
        if (lt >= 0 && trackMap[lt] >= 0) cols[next[u]++] = trackMap[lt];
      }
    }
    begin = end;
  }
  const m = mergeRowBuckets(users.size, tracks.size, indptr, cols, null);
  return { rows: { indptr: m.indptr, indices: m.indices }, pairs: m.indices.length, unknown };
}

/**
 * Tracks of the given archive weeks per model user, as user rows (model indices). Ids the model
 * does not know are skipped and counted.
 */
export async function readArchive(dir: string, weeks: readonly string[], users: IdDictionary, tracks: IdDictionary): Promise<{ rows: UserRows; pairs: number; unknown: number }> {
  return matchArchive(await parseArchive(dir, weeks), users, tracks);
}

/**
 * Opens one week's archive file (written atomically on commit, header included); callers add
 * `archiveLine` rows in chunks, users grouped.
 */
export async function openArchiveWeek(dir: string, week: string): Promise<AtomicTextWriter> {
  if (!WEEK_PATTERN.test(week)) throw new RangeError(`archive: week must look like 2026-W48, got '${week}'`);
  await makeDirs(dir).catch((err: Error) => {
    throw new Error(`cannot create the playlist archive ${dir}: ${err.message}`);
  });
  const out = await AtomicTextWriter.open(path.join(dir, `${week}.csv`));
  await out.write(ARCHIVE_HEADER);
  return out;
}

/** First line of every archive week file. */
export const ARCHIVE_HEADER = 'user_id,track_id\n';

export function archiveLine(userId: string, trackId: string): string {
  return `${csvField(userId)},${csvField(trackId)}\n`;
}

/** The archive lines of a batch of output rows. */
export function archiveLines(b: { length: number; userId: string[]; trackId: string[] }): string {
  let text = '';
  for (let i = 0; i < b.length; i++) text += archiveLine(b.userId[i], b.trackId[i]);
  return text;
}
