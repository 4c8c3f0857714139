/**
 * Writers of the weekly playlists, chosen by the output's extension: `.csv`, `.jsonl` or
 * `.parquet` (the text formats gzip-compressed under a further `.gz`). Columns: user_id, week, position (1-based), track_id, artist_id (empty/null when
 * unknown), score, reason. Every writer lands its file atomically on commit; rows arrive in
 * batches, so the full output is never held in memory (Parquet is streamed row group by batch).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { recordBatchesOf } from '../data/parquet-stream.js';
import { tempSibling } from '../util/atomic.js';
import { csvField } from '../util/csv-field.js';
import { errorMessage } from '../util/error-message.js';
import { isGzipName } from '../util/gzip-output.js';

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

export interface PlaylistSink {
  readonly format: OutputFormat;
  write(chunk: EncodedRows): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export type OutputFormat = 'csv' | 'jsonl' | 'parquet';

export function outputFormat(file: string): OutputFormat {
  const gzip = isGzipName(file);
  const ext = path.extname(gzip ? file.slice(0, -3) : file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.parquet') {
    if (gzip) throw new Error(`--out ${file}: Parquet compresses its own pages; name it .parquet`);
    return 'parquet';
  }
  throw new Error(`--out ${file}: unknown output format '${ext || '(none)'}'; use .csv, .jsonl or .parquet (text formats may end in .gz)`);
}

/**
 * Whether the text output is gzip-compressed (its name ends in .gz). Each shard's rows are
 * compressed where they are encoded, as a gzip member of their own, so the work directory's
 * rows file stays a list of whole members: a resume truncates at a shard's end as before, and
 * the assembled file is one valid gzip file.
 */
export function outputCompressed(file: string): boolean {
  return isGzipName(file) && outputFormat(file) !== 'parquet';
}

/**
 * A sink that lands `file` atomically on commit. `tmp` is where the file is built (default: a
 * temporary sibling of the target; the weekly job builds it inside its work directory).
 */
export async function openPlaylistSink(file: string, week: string, tmp?: string): Promise<PlaylistSink> {
  const format = outputFormat(file);
  if (format === 'parquet') return ParquetSink.open(file, week, tmp);
  const target = tmp ?? tempSibling(file);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(target, 'wx');
  } catch (err) {
    throw new Error(`cannot write ${file}: ${errorMessage(err)}`, { cause: err });
  }
  await handle.write(outputHeader(format));
  return {
    format,
    async write(chunk) {
      await handle.write(chunk.bytes);
    },
    async commit() {
      await handle.sync();
      await handle.close();
      await fs.rename(target, file);
    },
    async abort() {
      await handle.close().catch(() => undefined);
      await fs.rm(target, { force: true });
    },
  };
}

class ParquetSink implements PlaylistSink {
  readonly format = 'parquet' as const;
  private batches = 0;

  private constructor(
    private readonly target: string,
    private readonly tmp: string,
    private readonly week: string,
    private readonly input: ReadableStreamDefaultController<pw.RecordBatch>,
    private readonly pump: Promise<void>,
    private readonly handle: fs.FileHandle,
  ) {}

  static async open(target: string, week: string, tmpPath?: string): Promise<ParquetSink> {
    const tmp = tmpPath ?? tempSibling(target);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(tmp, 'wx');
    } catch (err) {
      throw new Error(`cannot write ${target}: ${errorMessage(err)}`, { cause: err });
    }
    let controller!: ReadableStreamDefaultController<pw.RecordBatch>;
    const input = new ReadableStream<pw.RecordBatch>({ start: (c) => void (controller = c) });
    const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).build();
    // The transform resolves only once the first batch arrives: start it, do not await it here.
    const transformed = pw.transformParquetStream(input, props) as Promise<ReadableStream<Uint8Array>>;
    const pump = (async () => {
      const reader = (await transformed).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await handle.write(value);
      }
    })();
    pump.catch(() => undefined); // surfaced by commit
    return new ParquetSink(target, tmp, week, controller, pump, handle);
  }

  async write(chunk: EncodedRows): Promise<void> {
    if (chunk.rows === 0) return;
    for (const batch of recordBatchesOf(chunk.bytes)) this.input.enqueue(batch);
    this.batches++;
  }

  async commit(): Promise<void> {
    try {
      this.input.close();
      if (this.batches > 0) await this.pump;
      else {
        // The streaming writer needs one batch to learn the schema: write an empty table instead.
        await this.pump.catch(() => undefined);
        const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).build();
        const empty = toArrow({ length: 0, userId: [], position: new Int32Array(0), trackId: [], artistId: [], score: new Float32Array(0), reason: [] }, this.week);
        await this.handle.write(pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(empty, 'stream')), props));
      }
      await this.handle.sync();
      await this.handle.close();
      await fs.rename(this.tmp, this.target);
    } catch (err) {
      await this.handle.close().catch(() => undefined);
      await fs.rm(this.tmp, { force: true });
      throw new Error(`cannot write ${this.target}: ${errorMessage(err)}`, { cause: err });
    }
  }

  async abort(): Promise<void> {
    try {
      this.input.error(new Error('aborted'));
    } catch {
      /* already closed */
    }
    await this.pump.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.tmp, { force: true });
  }
}

function toArrow(b: PlaylistBatch, week: string): arrow.Table {
  const utf8 = new arrow.Utf8();
  return new arrow.Table({
    user_id: arrow.vectorFromArray(b.userId, utf8),
    week: arrow.vectorFromArray(new Array<string>(b.length).fill(week), utf8),
    position: arrow.makeVector(b.position.slice(0, b.length)),
    track_id: arrow.vectorFromArray(b.trackId, utf8),
    artist_id: arrow.vectorFromArray(b.artistId, utf8),
    score: arrow.makeVector(b.score.slice(0, b.length)),
    reason: arrow.vectorFromArray(b.reason, utf8),
  });
}
