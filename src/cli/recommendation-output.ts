/**
 * Where `mixtape recommend` writes its rows (user_id, rank, track_id, score), in the format its
 * name says, as the weekly job's output does: `.parquet`, `.jsonl`/`.ndjson`, `.tsv`, else CSV;
 * a text name ending in `.gz` is written gzip-compressed. Every writer lands its file atomically
 * on commit and holds at most a row group (Parquet) or about a MiB of text, never the output.
 * Before, every name got CSV text: `recs.parquet` was a CSV file that Parquet readers refused.
 */
import * as arrow from 'apache-arrow';
import { Utf8Pieces, utf8Vector, utf8VectorOf } from '../data/utf8-vector.js';
import { encodePushedParquet } from '../model/columnar.js';
import type { TablePush } from '../data/parquet-stream.js';
import type { Recommendation } from '../types.js';
import type { RecommendationBlock } from '../model/model.js';
import { writeStreamedAtomic } from '../util/atomic.js';
import { AtomicTextWriter } from '../util/atomic-writer.js';
import { StdoutTextWriter } from '../util/stdout-writer.js';
import { BytePieces } from '../util/byte-pieces.js';
import { delimitedField } from '../util/csv-field.js';
import { outputFormatOfName, type NamedFormat } from '../util/file-format.js';

export type RecommendationFormat = NamedFormat;

/** The format of an output by its name (a trailing .gz marks compressed text). */
export function recommendationFormat(file: string): RecommendationFormat {
  return outputFormatOfName(file).format ?? 'csv';
}

/** The model's ids, which the rows of a block name by index. */
export interface RecommendationIds {
  userIds: readonly string[];
  trackIds: readonly string[];
}

export interface RecommendationWriter {
  readonly format: RecommendationFormat;
  /** One user's rows, ranks 1… in the order given. */
  add(userId: string, items: readonly Recommendation[]): Promise<void>;
  /** A block of users' rows (Model.recommendAllBlocks), without an object per row. */
  addBlock(block: RecommendationBlock): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** The name of standard output as an output (`--out -`): CSV rows streamed, nothing landed atomically. */
export const STDOUT = '-';

export async function openRecommendationWriter(file: string, ids: RecommendationIds): Promise<RecommendationWriter> {
  if (file === STDOUT) return TextRecommendations.open(new StdoutTextWriter(), 'csv', ids);
  const format = recommendationFormat(file);
  return format === 'parquet' ? ParquetRecommendations.open(file, ids) : TextRecommendations.open(file, format, ids);
}

/**
 * Text rows written as bytes: a row is head(user) + rank + track + score + end, and the escaped,
 * UTF-8 encoded pieces of each user, rank and track are made once. Building each row as a string
 * (9.6 M rows) spent most of the command's time escaping fields, concatenating and collecting
 * the garbage: a string per piece of every row, and an object per row before that.
 */
class TextRecommendations implements RecommendationWriter {
  /** `rank[j]`: rank j + 1 and what follows it up to the track. */
  private readonly rank: Buffer[] = [];
  /** A track's piece by index, made on first use. */
  private readonly tracks: (Buffer | undefined)[];
  private readonly end: Buffer;
  private readonly sep: string;
  /** Rows not yet handed to the writer. */
  private readonly pieces = new BytePieces();

  private constructor(
    readonly format: 'csv' | 'tsv' | 'jsonl',
    private readonly out: AtomicTextWriter | StdoutTextWriter,
    private readonly ids: RecommendationIds,
  ) {
    this.tracks = new Array<Buffer | undefined>(ids.trackIds.length);
    this.end = Buffer.from(format === 'jsonl' ? '}\n' : '\n');
    this.sep = format === 'tsv' ? '\t' : ',';
  }

  static async open(file: string | StdoutTextWriter, format: 'csv' | 'tsv' | 'jsonl', ids: RecommendationIds): Promise<TextRecommendations> {
    const out = typeof file === 'string' ? await AtomicTextWriter.open(file) : file;
    if (format === 'csv') await out.write('user_id,rank,track_id,score\n');
    if (format === 'tsv') await out.write('user_id\trank\ttrack_id\tscore\n');
    return new TextRecommendations(format, out, ids);
  }

  private head(userId: string): Buffer {
    return Buffer.from(this.format === 'jsonl' ? `{"user_id":${JSON.stringify(userId)},"rank":` : delimitedField(userId, this.sep) + this.sep);
  }

  private trackPiece(trackId: string): Buffer {
    return Buffer.from(this.format === 'jsonl' ? `,"track_id":${JSON.stringify(trackId)},"score":` : delimitedField(trackId, this.sep) + this.sep);
  }

  private rankPiece(j: number): Buffer {
    while (this.rank.length <= j) this.rank.push(Buffer.from(this.format === 'jsonl' ? String(this.rank.length + 1) : `${this.rank.length + 1}${this.sep}`));
    return this.rank[j];
  }

  /** Appends one row; a score is at most 25 ASCII characters (-0.0000012345678901234567). */
  private row(head: Buffer, rank: Buffer, track: Buffer, score: number): void {
    const pieces = this.pieces;
    pieces.reserve(head.length + rank.length + track.length + 32 + this.end.length);
    const b = pieces.buf;
    let p = pieces.pos;
    // Pieces are a few bytes: a loop beats a native copy call for each.
    for (let k = 0; k < head.length; k++) b[p++] = head[k];
    for (let k = 0; k < rank.length; k++) b[p++] = rank[k];
    for (let k = 0; k < track.length; k++) b[p++] = track[k];
    p += b.write(String(score), p, 'latin1');
    for (let k = 0; k < this.end.length; k++) b[p++] = this.end[k];
    pieces.pos = p;
  }

  /** Hands the filled pieces (with `all`, every row so far) to the writer. */
  private async ship(all = false): Promise<void> {
    for (const piece of this.pieces.take(all)) await this.out.write(piece);
  }

  async add(userId: string, items: readonly Recommendation[]): Promise<void> {
    const head = this.head(userId);
    for (let r = 0; r < items.length; r++) this.row(head, this.rankPiece(r), this.trackPiece(items[r].trackId), items[r].score);
    await this.ship();
  }

  async addBlock(b: RecommendationBlock): Promise<void> {
    for (let i = 0; i < b.users.length; i++) {
      const head = this.head(this.ids.userIds[b.users[i]]);
      for (let j = 0, o = i * b.n; j < b.n; j++, o++) {
        const t = b.items[o];
        if (t < 0) break;
        this.row(head, this.rankPiece(j), (this.tracks[t] ??= this.trackPiece(this.ids.trackIds[t])), b.scores[o]);
      }
    }
    await this.ship();
  }

  async commit(): Promise<void> {
    await this.ship(true);
    return this.out.commit();
  }

  abort(): Promise<void> {
    return this.out.abort();
  }
}

/** Rows gathered, then handed to the streaming Parquet writer as one table. */
const GROUP_ROWS = 65_536;

/** One table's rows being gathered; a new one per table, as the writer keeps the arrays it is given. */
class ParquetGroup {
  rows = 0;
  private readonly users = new Utf8Pieces(GROUP_ROWS);
  private readonly tracks = new Utf8Pieces(GROUP_ROWS);
  private readonly ranks = new Int32Array(GROUP_ROWS);
  private readonly scores = new Float32Array(GROUP_ROWS);

  add(user: Uint8Array, rank: number, track: Uint8Array, score: number): void {
    const r = this.rows++;
    this.users.push(user);
    this.tracks.push(track);
    this.ranks[r] = rank;
    this.scores[r] = score;
  }

  table(): arrow.Table {
    const n = this.rows;
    return recommendationTable(utf8VectorOf(this.users.finish()), this.ranks.subarray(0, n), utf8VectorOf(this.tracks.finish()), this.scores.subarray(0, n));
  }
}

/**
 * Rows gathered into typed columns a table at a time, each id's UTF-8 bytes made once (a track's
 * on first use): a JS string and array slot per field of 9.6 M rows was most of the write.
 */
class ParquetRecommendations implements RecommendationWriter {
  readonly format = 'parquet' as const;
  private group = new ParquetGroup();
  /** A track's bytes by index, made on first use. */
  private readonly tracks: (Uint8Array | undefined)[];

  private constructor(
    private readonly push: TablePush,
    /** Ends the producer: resolved to finish the file, rejected to drop it. */
    private readonly finish: (err?: unknown) => void,
    private readonly writing: Promise<void>,
    private readonly ids: RecommendationIds,
  ) {
    this.tracks = new Array<Uint8Array | undefined>(ids.trackIds.length);
  }

  static async open(file: string, ids: RecommendationIds): Promise<ParquetRecommendations> {
    let ready!: (push: TablePush) => void;
    const pushed = new Promise<TablePush>((resolve) => (ready = resolve));
    let finish!: (err?: unknown) => void;
    const finished = new Promise<void>((resolve, reject) => (finish = (err) => (err === undefined ? resolve() : reject(err))));
    finished.catch(() => undefined);
    const writing = writeStreamedAtomic(file, async (sink) => {
      await encodePushedParquet(
        async (push) => {
          ready(push);
          await finished;
        },
        sink,
        // No row at all: a file of the columns alone.
        () => recommendationTable(utf8Vector([]), new Int32Array(0), utf8Vector([]), new Float32Array(0)),
      );
    });
    writing.catch(() => undefined);
    // The temporary file could not be made: that error, not a wait forever.
    const push = await Promise.race([pushed, writing.then(() => Promise.reject(new Error(`cannot write ${file}`)))]);
    return new ParquetRecommendations(push, finish, writing, ids);
  }

  async add(userId: string, items: readonly Recommendation[]): Promise<void> {
    const user = encoder.encode(userId);
    for (let r = 0; r < items.length; r++) {
      if (this.group.rows === GROUP_ROWS) await this.flush();
      this.group.add(user, r + 1, encoder.encode(items[r].trackId), items[r].score);
    }
  }

  async addBlock(b: RecommendationBlock): Promise<void> {
    for (let i = 0; i < b.users.length; i++) {
      const user = encoder.encode(this.ids.userIds[b.users[i]]);
      for (let j = 0, o = i * b.n; j < b.n && b.items[o] >= 0; j++, o++) {
        if (this.group.rows === GROUP_ROWS) await this.flush();
        const t = b.items[o];
        this.group.add(user, j + 1, (this.tracks[t] ??= encoder.encode(this.ids.trackIds[t])), b.scores[o]);
      }
    }
  }

  private async flush(): Promise<void> {
    const g = this.group;
    if (g.rows === 0) return;
    this.group = new ParquetGroup();
    await this.push(g.table());
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

const encoder = new TextEncoder();

function recommendationTable(users: arrow.Vector<arrow.Utf8>, ranks: Int32Array, tracks: arrow.Vector<arrow.Utf8>, scores: Float32Array): arrow.Table {
  return new arrow.Table({ user_id: users, rank: arrow.makeVector(ranks), track_id: tracks, score: arrow.makeVector(scores) });
}
