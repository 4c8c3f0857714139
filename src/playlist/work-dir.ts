/**
 * The weekly job's work directory, `.<output name>.partial` beside the output: every completed
 * shard is recorded there before the next one is, so a killed run can resume from the last
 * completed shard and still produce exactly the bytes of an uninterrupted run.
 *
 *   manifest.json  what the run is (a fingerprint of model, inputs and options; users, shard size)
 *                  and how far it got: completed shards, the committed byte length of each part
 *                  file, running totals. Replaced atomically after each shard's bytes are synced.
 *   out.part       CSV/JSONL output rows in user order, header included (text formats)
 *   shard-N.arrow  each shard's rows as Arrow IPC (Parquet: encoded into out.parquet.tmp as the
 *                  shards complete; a resumed run encodes the completed ones again from here)
 *   archive.part   the week's archive lines, header included
 *   slots.bin      each shard's playlist counts and track indices (Int32), to rebuild the exposure
 *                  summary of a resumed run
 *
 * Bytes past a part file's committed length are a shard that was cut off; resuming truncates
 * them. The finished output is renamed from here into place (never a partial file at the target),
 * then the archive week is added, then the directory is removed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempSibling, writeFileAtomic } from '../util/atomic.js';
import { ARCHIVE_HEADER } from './archive.js';
import { outputHeader, writePlaylistParquet, type OutputFormat } from './output.js';
import { zeroPhases, type PhaseSeconds } from './shard.js';
import { errorMessage } from '../util/error-message.js';
import { makeDirs } from '../util/make-dirs.js';
import { gzipMemberSync } from '../util/gzip-output.js';
import { ShardFeed } from './shard-feed.js';

const FORMAT = 'mixtape-weekly-work';
const VERSION = 1;

export interface WorkPlan {
  fingerprint: string;
  users: number;
  shardSize: number;
  shards: number;
  /** Slots per playlist. */
  size: number;
  output: OutputFormat | null;
  archive: boolean;
}

export interface WorkTotals {
  rows: number;
  short: number;
  refreshed: number;
  /** Users without taste evidence (ShardResult.cold). */
  cold: number;
  phaseSeconds: PhaseSeconds;
}

interface Manifest extends WorkPlan {
  format: typeof FORMAT;
  version: number;
  completed: number;
  bytes: { out: number; archive: number; slots: number };
  totals: WorkTotals;
  outputCommitted: boolean;
}

/** `.<name>.partial` beside `target`. */
export function workDirFor(target: string): string {
  const abs = path.resolve(target);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.partial`);
}

const MANIFEST = 'manifest.json';
const OUT = 'out.part';
const ARCHIVE = 'archive.part';
const SLOTS = 'slots.bin';
const PARQUET_TMP = 'out.parquet.tmp';
const shardFile = (s: number): string => `shard-${String(s).padStart(6, '0')}.arrow`;

const bytesOf = (a: Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export class WorkDir {
  private handles: { out?: fs.FileHandle; archive?: fs.FileHandle; slots?: fs.FileHandle } = {};
  /** The Parquet output being encoded while the job runs (startOutput). */
  private parquet: { feed: ShardFeed; writing: Promise<void> } | undefined;

  private constructor(
    readonly dir: string,
    private m: Manifest,
  ) {}

  /** Shards already completed (a resumed run continues here). */
  get completed(): number {
    return this.m.completed;
  }

  get totals(): WorkTotals {
    return this.m.totals;
  }

  get outputCommitted(): boolean {
    return this.m.outputCommitted;
  }

  /**
   * Open the work directory for `plan`. With `resume`, an existing directory of the same plan is
   * continued (one of another plan is refused); otherwise, or when there is none, it starts empty.
   */
  static async open(dir: string, plan: WorkPlan, resume: boolean, o: { gzip?: boolean } = {}): Promise<WorkDir> {
    if (resume) {
      const m = await readManifest(dir);
      if (m) {
        const mismatch = (Object.keys(plan) as (keyof WorkPlan)[]).find((key) => m[key] !== plan[key]);
        if (mismatch) {
          throw new Error(
            `${dir}: the interrupted run was made with a different ${mismatch === 'fingerprint' ? 'model, input or option' : mismatch}; ` +
              'rerun with the same ones, or without --resume to start over',
          );
        }
        const w = new WorkDir(dir, m);
        await w.reopen();
        return w;
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
    await makeDirs(dir).catch((err: Error) => {
      throw new Error(`cannot create the work directory ${dir}: ${err.message}`);
    });
    const m: Manifest = {
      format: FORMAT,
      version: VERSION,
      ...plan,
      completed: 0,
      bytes: { out: 0, archive: 0, slots: 0 },
      totals: { rows: 0, short: 0, refreshed: 0, cold: 0, phaseSeconds: zeroPhases() },
      outputCommitted: false,
    };
    const w = new WorkDir(dir, m);
    if (plan.output === 'csv' || plan.output === 'jsonl') {
      const header = outputHeader(plan.output);
      // The header as a gzip member of its own (JSON Lines has none: nothing to compress).
      m.bytes.out = await w.create(OUT, o.gzip && header ? gzipMemberSync(header) : header);
    }
    if (plan.archive) m.bytes.archive = await w.create(ARCHIVE, ARCHIVE_HEADER);
    await w.create(SLOTS, '');
    await w.saveManifest();
    await w.reopen();
    return w;
  }

  private async create(name: string, text: string | Uint8Array): Promise<number> {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    await writeFileAtomic(path.join(this.dir, name), bytes);
    return bytes.length;
  }

  /** Open the part files for writing after their committed length (dropping a cut-off shard). */
  private async reopen(): Promise<void> {
    const open = async (name: string, length: number): Promise<fs.FileHandle | undefined> => {
      const file = path.join(this.dir, name);
      let h: fs.FileHandle;
      try {
        h = await fs.open(file, 'r+');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // already committed
        throw err;
      }
      const { size } = await h.stat();
      if (size < length) {
        await h.close();
        throw new Error(`${file}: shorter (${size} bytes) than its recorded ${length} bytes; delete ${this.dir} to start over`);
      }
      if (size > length) await h.truncate(length);
      return h;
    };
    const all = this.m.completed === this.m.shards;
    if (this.m.output === 'csv' || this.m.output === 'jsonl') {
      this.handles.out = await open(OUT, this.m.bytes.out);
      // The rows file only leaves the directory by being renamed onto the output.
      if (!this.handles.out && !all) throw new Error(`${path.join(this.dir, OUT)} is missing; delete ${this.dir} to start over`);
      if (!this.handles.out) this.m.outputCommitted = true;
    }
    if (this.m.archive) this.handles.archive = await open(ARCHIVE, this.m.bytes.archive);
    this.handles.slots = await open(SLOTS, this.m.bytes.slots);
    if (!this.handles.slots) throw new Error(`${path.join(this.dir, SLOTS)} is missing; delete ${this.dir} to start over`);
  }

  /**
   * Start encoding a Parquet output now, shard by shard as `append` records them (the completed
   * shards of a resumed run first, from their files), rather than all at once when the job ends:
   * the encoding then runs beside the shards' work instead of after it. Nothing to do for text
   * outputs, which are appended as they come.
   */
  startOutput(week: string): void {
    if (this.m.output !== 'parquet' || this.m.outputCommitted || this.parquet) return;
    const fromFiles = this.m.completed;
    const feed = new ShardFeed(fromFiles);
    const tmp = path.join(this.dir, PARQUET_TMP);
    const read = (s: number): Promise<Uint8Array> => (s < fromFiles ? fs.readFile(path.join(this.dir, shardFile(s))) : feed.take(s));
    const writing = (async () => {
      await fs.rm(tmp, { force: true });
      await writePlaylistParquet(tmp, week, this.m.shards, read);
    })();
    writing.catch((err: unknown) => feed.fail(err));
    this.parquet = { feed, writing };
  }

  /** Feed the playlists of the completed shards (counts and track indices) to `fn`, in order. */
  async replay(fn: (shard: number, count: Int32Array, items: Int32Array) => void): Promise<void> {
    const h = this.handles.slots!;
    let pos = 0;
    for (let s = 0; s < this.m.completed; s++) {
      const users = Math.min(this.m.shardSize, this.m.users - s * this.m.shardSize);
      const buf = new Int32Array(users * (1 + this.m.size));
      const { bytesRead } = await h.read(bytesOf(buf), 0, buf.byteLength, pos);
      if (bytesRead !== buf.byteLength) throw new Error(`${path.join(this.dir, SLOTS)}: shard ${s} is cut short; delete ${this.dir} to start over`);
      pos += bytesRead;
      fn(s, buf.subarray(0, users), buf.subarray(users));
    }
  }

  /**
   * Append shard `s` (the next one) with the running totals after it. With `durable`, the part
   * files are synced and the manifest records everything appended so far (a checkpoint);
   * otherwise the manifest still names the last checkpoint, and a resume redoes the shards since.
   */
  async append(s: number, part: { out?: Uint8Array; archive?: Uint8Array; count: Int32Array; items: Int32Array }, totals: WorkTotals, durable = true): Promise<void> {
    if (s !== this.m.completed) throw new Error(`weekly: shard ${s} recorded out of order (expected ${this.m.completed})`);
    const m = this.m;
    const write = async (h: fs.FileHandle, data: Uint8Array, at: number): Promise<number> => {
      let off = 0;
      while (off < data.length) off += (await h.write(data, off, data.length - off, at + off)).bytesWritten;
      return data.length;
    };
    // New lengths take effect only once every part of the shard is written.
    const bytes = { ...m.bytes };
    if (m.output === 'parquet') {
      if (!part.out) throw new Error(`weekly: shard ${s} has no encoded rows`);
      await writeFileAtomic(path.join(this.dir, shardFile(s)), part.out);
      this.parquet?.feed.give(s, part.out);
    } else if (m.output) {
      if (!part.out) throw new Error(`weekly: shard ${s} has no encoded rows`);
      bytes.out += await write(this.handles.out!, part.out, bytes.out);
    }
    if (m.archive) {
      if (!part.archive) throw new Error(`weekly: shard ${s} has no archive lines`);
      bytes.archive += await write(this.handles.archive!, part.archive, bytes.archive);
    }
    const slots = new Int32Array(part.count.length + part.items.length);
    slots.set(part.count);
    slots.set(part.items, part.count.length);
    bytes.slots += await write(this.handles.slots!, bytesOf(slots), bytes.slots);
    m.bytes = bytes;
    m.completed = s + 1;
    m.totals = { ...totals, phaseSeconds: { ...totals.phaseSeconds } };
    if (durable) await this.checkpoint();
    // Shards wait for the encoder here rather than pile up in memory.
    await this.parquet?.feed.room(s);
  }

  /** Sync the part files, then record everything appended so far in the manifest. */
  async checkpoint(): Promise<void> {
    for (const h of Object.values(this.handles)) await h?.datasync();
    await this.saveManifest();
  }

  /** Land the output at `target` (renamed from the work directory; Parquet is assembled first). */
  async commitOutput(target: string, week: string): Promise<void> {
    const m = this.m;
    if (!m.output || m.outputCommitted) return;
    if (m.completed !== m.shards) throw new Error(`weekly: cannot commit ${target} with ${m.completed} of ${m.shards} shards`);
    if (m.output === 'parquet') {
      const tmp = path.join(this.dir, PARQUET_TMP);
      this.startOutput(week);
      try {
        await this.parquet!.writing;
        await fs.rename(tmp, target);
      } catch (err) {
        await fs.rm(tmp, { force: true });
        throw new Error(`cannot write ${target}: ${errorMessage(err)}`, { cause: err });
      }
    } else {
      const h = this.handles.out!;
      await h.sync();
      await h.close();
      this.handles.out = undefined;
      try {
        await fs.rename(path.join(this.dir, OUT), target);
      } catch (err) {
        throw new Error(`cannot write ${target}: ${errorMessage(err)}`, { cause: err });
      }
    }
    m.outputCommitted = true;
    await this.saveManifest();
  }

  /** Add the archive week file at `target` (after the output is committed). */
  async commitArchive(target: string): Promise<void> {
    if (!this.m.archive || !this.handles.archive) return;
    if (!this.m.outputCommitted && this.m.output) throw new Error('weekly: the archive is added only after the output is committed');
    const h = this.handles.archive;
    await h.sync();
    await h.close();
    this.handles.archive = undefined;
    const src = path.join(this.dir, ARCHIVE);
    try {
      await fs.rename(src, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw new Error(`cannot write ${target}: ${errorMessage(err)}`, { cause: err });
      // Another file system: copy beside the target, then rename there.
      const tmp = tempSibling(target);
      try {
        await fs.copyFile(src, tmp);
        const c = await fs.open(tmp, 'r+');
        await c.sync();
        await c.close();
        await fs.rename(tmp, target);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw new Error(`cannot write ${target}: ${errorMessage(e)}`, { cause: e });
      }
      await fs.rm(src, { force: true });
    }
  }

  async close(): Promise<void> {
    if (this.parquet) {
      // After a job that stopped short (a failure, an interrupt) the encoder waits on a shard that
      // will not come; after a finished one this changes nothing.
      this.parquet.feed.fail(new Error('weekly: the run stopped before its output was complete'));
      await this.parquet.writing.catch(() => undefined);
      this.parquet = undefined;
    }
    for (const h of Object.values(this.handles)) await h?.close().catch(() => undefined);
    this.handles = {};
  }

  /** Remove the directory (after a successful run). */
  async remove(): Promise<void> {
    await this.close();
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  private async saveManifest(): Promise<void> {
    await writeFileAtomic(path.join(this.dir, MANIFEST), JSON.stringify(this.m, null, 2) + '\n');
  }
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, MANIFEST), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path.join(dir, MANIFEST)}: unreadable (${errorMessage(err)}); delete ${dir} to start over`);
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new Error(`${path.join(dir, MANIFEST)}: not valid JSON; delete ${dir} to start over`);
  }
  if (m?.format !== FORMAT || m.version !== VERSION) throw new Error(`${path.join(dir, MANIFEST)}: not a weekly-job work manifest of version ${VERSION}; delete ${dir} to start over`);
  return m;
}
