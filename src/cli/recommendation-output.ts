/**
 * Where `mixtape recommend` writes its rows (user_id, rank, track_id, score), in the format its
 * name says, as the weekly job's output does: `.parquet`, `.jsonl`/`.ndjson`, `.tsv`, else CSV;
 * a text name ending in `.gz` is written gzip-compressed. Every writer lands its file atomically
 * on commit and holds at most a row group (Parquet) or about a MiB of text, never the output.
 * Before, every name got CSV text: `recs.parquet` was a CSV file that Parquet readers refused.
 */
import * as arrow from 'apache-arrow';
import { utf8Vector } from '../data/utf8-vector.js';
import { encodeParquetTo, encodePushedParquet } from '../model/columnar.js';
import type { TablePush } from '../data/parquet-stream.js';
import type { Recommendation } from '../types.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import { AtomicTextWriter } from '../util/atomic-writer.js';
import { delimitedField } from '../util/csv-field.js';
import { outputFormatOfName, type NamedFormat } from '../util/file-format.js';

export type RecommendationFormat = NamedFormat;

/** The format of an output by its name (a trailing .gz marks compressed text). */
export function recommendationFormat(file: string): RecommendationFormat {
  return outputFormatOfName(file).format ?? 'csv';
}

export interface RecommendationWriter {
  readonly format: RecommendationFormat;
  /** One user's rows, ranks 1… in the order given. */
  add(userId: string, items: readonly Recommendation[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function openRecommendationWriter(file: string): Promise<RecommendationWriter> {
  const format = recommendationFormat(file);
  return format === 'parquet' ? ParquetRecommendations.open(file) : TextRecommendations.open(file, format);
}

class TextRecommendations implements RecommendationWriter {
  private constructor(
    readonly format: 'csv' | 'tsv' | 'jsonl',
    private readonly out: AtomicTextWriter,
  ) {}

  static async open(file: string, format: 'csv' | 'tsv' | 'jsonl'): Promise<TextRecommendations> {
    const out = await AtomicTextWriter.open(file);
    if (format === 'csv') await out.write('user_id,rank,track_id,score\n');
    if (format === 'tsv') await out.write('user_id\trank\ttrack_id\tscore\n');
    return new TextRecommendations(format, out);
  }

  async add(userId: string, items: readonly Recommendation[]): Promise<void> {
    let lines = '';
    if (this.format === 'jsonl') {
      const uid = JSON.stringify(userId);
      for (let r = 0; r < items.length; r++) lines += `{"user_id":${uid},"rank":${r + 1},"track_id":${JSON.stringify(items[r].trackId)},"score":${items[r].score}}\n`;
    } else {
      const sep = this.format === 'csv' ? ',' : '\t';
      const uid = delimitedField(userId, sep);
      for (let r = 0; r < items.length; r++) lines += `${uid}${sep}${r + 1}${sep}${delimitedField(items[r].trackId, sep)}${sep}${items[r].score}\n`;
    }
    await this.out.write(lines);
  }

  commit(): Promise<void> {
    return this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}

/** Rows buffered to a row group's size, then handed to the streaming Parquet writer. */
const GROUP_ROWS = 65_536;

class ParquetRecommendations implements RecommendationWriter {
  readonly format = 'parquet' as const;
  private users: string[] = [];
  private ranks: number[] = [];
  private tracks: string[] = [];
  private scores: number[] = [];

  private constructor(
    private readonly push: TablePush,
    /** Ends the producer: resolved to finish the file, rejected to drop it. */
    private readonly finish: (err?: unknown) => void,
    private readonly writing: Promise<void>,
  ) {}

  static async open(file: string): Promise<ParquetRecommendations> {
    let ready!: (push: TablePush) => void;
    const pushed = new Promise<TablePush>((resolve) => (ready = resolve));
    let finish!: (err?: unknown) => void;
    const finished = new Promise<void>((resolve, reject) => (finish = (err) => (err === undefined ? resolve() : reject(err))));
    finished.catch(() => undefined);
    const writing = writeStreamedAtomic(file, async (sink) => {
      const rows = await encodePushedParquet(async (push) => {
        ready(push);
        await finished;
      }, sink);
      // No row at all: a file of the columns alone (the streaming writer learns them from rows).
      if (rows === 0) await encodeParquetTo(toTable([], [], [], []), sink);
    });
    writing.catch(() => undefined);
    // The temporary file could not be made: that error, not a wait forever.
    const push = await Promise.race([pushed, writing.then(() => Promise.reject(new Error(`cannot write ${file}`)))]);
    return new ParquetRecommendations(push, finish, writing);
  }

  async add(userId: string, items: readonly Recommendation[]): Promise<void> {
    for (let r = 0; r < items.length; r++) {
      this.users.push(userId);
      this.ranks.push(r + 1);
      this.tracks.push(items[r].trackId);
      this.scores.push(items[r].score);
    }
    if (this.users.length >= GROUP_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.users.length === 0) return;
    const table = toTable(this.users, this.ranks, this.tracks, this.scores);
    this.users = [];
    this.ranks = [];
    this.tracks = [];
    this.scores = [];
    await this.push(table);
  }

  async commit(): Promise<void> {
    try {
      await this.flush();
    } catch (err) {
      await this.abort();
      throw err;
    }
    this.finish();
    await this.writing;
  }

  async abort(): Promise<void> {
    this.finish(new Error('recommend: output abandoned'));
    await this.writing.catch(() => undefined);
  }
}

function toTable(users: string[], ranks: number[], tracks: string[], scores: number[]): arrow.Table {
  return new arrow.Table({
    user_id: utf8Vector(users),
    rank: arrow.makeVector(Int32Array.from(ranks)),
    track_id: utf8Vector(tracks),
    score: arrow.makeVector(Float32Array.from(scores)),
  });
}
