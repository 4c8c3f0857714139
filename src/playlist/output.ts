/**
 * Writers of the weekly playlists, chosen by the output's extension: `.csv`, `.jsonl` or
 * `.parquet` (the text formats gzip-compressed under a further `.gz`). Columns: user_id, week,
 * position (1-based), track_id, artist_id (empty/null when unknown), score, reason. The workers
 * encode their shards' rows (text, or an Arrow IPC stream for Parquet); the job's work directory
 * assembles the file (work-dir.ts), so the full output is never held in memory.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { encodePushedParquetTo } from '../data/parquet-stream.js';
import { csvField } from '../util/csv-field.js';
import { nullableUtf8Vector, utf8Vector } from '../data/utf8-vector.js';
import { writeStreamed } from '../util/streamed-file.js';
import { formatOfName, outputFormatOfName } from '../util/file-format.js';

export const PLAYLIST_COLUMNS = ['user_id', 'week', 'position', 'track_id', 'artist_id', 'score', 'reason'] as const;

/** A batch of output rows, column by column. */
export interface PlaylistBatch {
  length: number;
  userId: string[];
  position: Int32Array;
  trackId: string[];
  artistId: (string | null)[];
  score: Float32Array;
  reason: string[];
}

/** Rows encoded for a sink: UTF-8 CSV/JSONL lines, or an Arrow IPC stream (Parquet). */
export interface EncodedRows {
  rows: number;
  bytes: Uint8Array;
}

const utf8 = new TextEncoder();

/** Encode rows for `format` (done in the workers, so the main thread only writes bytes). */
export function encodeRows(b: PlaylistBatch, week: string, format: OutputFormat): EncodedRows {
  if (format === 'parquet') return { rows: b.length, bytes: arrow.tableToIPC(toArrow(b, week), 'stream') };
  return { rows: b.length, bytes: utf8.encode(encodeText(b, week, format)) };
}

function encodeText(b: PlaylistBatch, week: string, format: 'csv' | 'jsonl'): string {
  let text = '';
  if (format === 'csv') {
    const w = csvField(week);
    for (let i = 0; i < b.length; i++) {
      text += `${csvField(b.userId[i])},${w},${b.position[i]},${csvField(b.trackId[i])},${b.artistId[i] === null ? '' : csvField(b.artistId[i]!)},${b.score[i]},${csvField(b.reason[i])}\n`;
    }
  } else {
    const w = JSON.stringify(week);
    for (let i = 0; i < b.length; i++) {
      text += `{"user_id":${JSON.stringify(b.userId[i])},"week":${w},"position":${b.position[i]},"track_id":${JSON.stringify(b.trackId[i])},"artist_id":${JSON.stringify(b.artistId[i])},"score":${b.score[i]},"reason":${JSON.stringify(b.reason[i])}}\n`;
    }
  }
  return text;
}

/** What a text output file starts with (the CSV header; nothing for JSONL). */
export function outputHeader(format: OutputFormat): string {
  return format === 'csv' ? PLAYLIST_COLUMNS.join(',') + '\n' : '';
}

export type OutputFormat = 'csv' | 'jsonl' | 'parquet';

export function outputFormat(file: string): OutputFormat {
  const { format, ext } = outputFormatOfName(file);
  if (format === 'csv' || format === 'jsonl' || format === 'parquet') return format;
  throw new Error(`--out ${file}: unknown output format '${ext || '(none)'}'; use .csv, .jsonl or .parquet (text formats may end in .gz)`);
}

/**
 * Whether the text output is gzip-compressed (its name ends in .gz). Each shard's rows are
 * compressed where they are encoded, as a gzip member of their own, so the work directory's
 * rows file stays a list of whole members: a resume truncates at a shard's end as before, and
 * the assembled file is one valid gzip file.
 */
export function outputCompressed(file: string): boolean {
  return outputFormat(file) !== 'parquet' && formatOfName(file).gzip;
}

/**
 * Rows handed to the streaming writer at a time, and per row group: the writer keeps a group's
 * encoded columns until it is full, and ZSTD finds more repeats in a large one (a week of 5.8 M
 * rows: 65 MB in groups of 1,048,576 rows, 76 MB in groups of 65,536).
 */
const PARQUET_ROWS = 65_536;
const ROW_GROUP_ROWS = 1_048_576;

/** ZSTD: user ids, weeks, artists and reasons repeat a lot. */
function parquetProperties(): pw.WriterProperties {
  return new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).setMaxRowGroupSize(ROW_GROUP_ROWS).build();
}

/**
 * Writes the playlists' Parquet file at `file` (which must not exist; flushed to the disk) from
 * the shards' Arrow IPC streams, `shards` of them read by `readShard` one at a time. Each shard
 * is handed to the streaming writer once it has taken the last one's rows: memory holds a shard
 * and WebAssembly memory a slice, not the output (a million listeners' lists are 3 GB as Arrow,
 * and WebAssembly memory ends at 4 GiB).
 */
export async function writePlaylistParquet(file: string, week: string, shards: number, readShard: (s: number) => Promise<Uint8Array>): Promise<void> {
  await writeStreamed(
    file,
    (sink) =>
      encodePushedParquetTo(
        async (push) => {
          for (let s = 0; s < shards; s++) await push(arrow.tableFromIPC(await readShard(s)));
        },
        parquetProperties,
        PARQUET_ROWS,
        sink,
        // A week without rows gets the columns alone.
        () => toArrow(EMPTY_BATCH, week),
      ).then(() => undefined),
    { sync: true },
  );
}

const EMPTY_BATCH: PlaylistBatch = { length: 0, userId: [], position: new Int32Array(0), trackId: [], artistId: [], score: new Float32Array(0), reason: [] };

/** The rows as an Arrow table; strings encoded into one buffer per column (arrow's builder, value by value, took most of a shard's encoding time). */
function toArrow(b: PlaylistBatch, week: string): arrow.Table {
  return new arrow.Table({
    user_id: utf8Vector(b.userId),
    week: utf8Vector(new Array<string>(b.length).fill(week)),
    position: arrow.makeVector(b.position.slice(0, b.length)),
    track_id: utf8Vector(b.trackId),
    artist_id: nullableUtf8Vector(b.artistId),
    score: arrow.makeVector(b.score.slice(0, b.length)),
    reason: utf8Vector(b.reason),
  });
}
