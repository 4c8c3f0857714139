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
import { buildCsrInRowBuckets } from '../data/csr-row-buckets.js';
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

/** Model index of each id the interner met, resolved once per distinct id. */
class IdMap {
  readonly local = new Dictionary();
  readonly interner = new ByteInterner(this.local);
  private map = new Int32Array(1024);
  private resolved = 0;

  constructor(private readonly target: IdDictionary) {}

  /** Model index of the id in bytes [s, e), −1 when unknown or not UTF-8. */
  lookup(b: Uint8Array, s: number, e: number): number {
    const i = this.interner.internBytes(b, s, e);
    if (i < 0) return -1;
    while (this.resolved <= i) {
      if (this.resolved === this.map.length) {
        const grown = new Int32Array(this.map.length * 2);
        grown.set(this.map);
        this.map = grown;
      }
      this.map[this.resolved] = this.target.get(this.local.ids[this.resolved]) ?? -1;
      this.resolved++;
    }
    return this.map[i];
  }
}

/**
 * Tracks of the given archive weeks per model user, as user rows (model indices). Ids the model
 * does not know are skipped and counted.
 */
export async function readArchive(dir: string, weeks: readonly string[], users: IdDictionary, tracks: IdDictionary): Promise<{ rows: UserRows; pairs: number; unknown: number }> {
  let rowIdx: Int32Array = new Int32Array(1024);
  let colIdx: Int32Array = new Int32Array(1024);
  let n = 0;
  let unknown = 0;
  const userIds = new IdMap(users);
  const trackIds = new IdMap(tracks);
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
        const u = userIds.lookup(r.bytes, r.start[ui], r.end[ui]);
        const t = trackIds.lookup(r.bytes, r.start[ti], r.end[ti]);
        if (u < 0 || t < 0) {
          unknown++;
          return;
        }
        if (n === rowIdx.length) {
          const grow = (a: Int32Array): Int32Array => {
            const b = new Int32Array(a.length * 2);
            b.set(a);
            return b;
          };
          rowIdx = grow(rowIdx);
          colIdx = grow(colIdx);
        }
        rowIdx[n] = u;
        colIdx[n] = t;
        n++;
      },
      malformed(line, message) {
        throw new Error(`${file}:${line}:1: ${message}`);
      },
    }, { allowEmpty: true });
  }
  const m = buildCsrInRowBuckets(users.size, tracks.size, rowIdx.subarray(0, n), colIdx.subarray(0, n));
  return { rows: { indptr: m.indptr, indices: m.indices }, pairs: m.indices.length, unknown };
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
