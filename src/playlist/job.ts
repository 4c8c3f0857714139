/**
 * The weekly job: every user's playlist, built in shards of users across a worker pool on shared
 * tables, with an exposure summary across all users. With an output (or archive), each completed
 * shard is recorded in a work directory beside it (see work-dir.ts), so a killed run resumes from
 * the last completed shard (`resume`) and yields byte-identical files; the output is renamed into
 * place only when every shard is done, and the archive week is added only after that. A shard
 * whose worker throws or dies is retried once on a fresh worker; a second failure fails the run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Piscina } from 'piscina';
import { ExposureCounter, type ExposureSummary } from '../rerank/exposure.js';
import { weeklyFingerprint } from './fingerprint.js';
import { outputCompressed, outputFormat } from './output.js';
import { createPlaylistPool } from './pool.js';
import type { ReasonNames } from './reasons.js';
import { addPhases, cpuClock, ShardRunner, zeroPhases, type PhaseSeconds, type ShardResult } from './shard.js';
import { runShardTask, type ShardTask, type WorkerResult } from './shard-task.js';
import { shareTables } from './shared.js';
import type { PlaylistTables, ShardSettings } from './tables.js';
import { resolveBlendWeights } from '../content/hybrid-blend.js';
import { resolveRerankOptions } from '../rerank/options.js';
import { WorkDir, workDirFor, type WorkTotals } from './work-dir.js';
import { LockLostError, RunLock } from '../util/run-lock.js';
import { WEEK_PATTERN } from './week.js';
import { errorMessage } from '../util/error-message.js';
import { makeDirs } from '../util/make-dirs.js';
import { describeWriteError } from '../util/atomic.js';

export interface WeeklyJobOptions {
  tables: PlaylistTables;
  settings: ShardSettings;
  /** External ids for the output. */
  userIds: readonly string[];
  names: ReasonNames;
  week: string;
  /** Output file (.csv, .jsonl, .parquet); omit to only compute (benchmarks). */
  out?: string;
  /** Archive directory: the week's file is added there. */
  archiveDir?: string;
  /** Worker threads (0 = run on the calling thread, for tests and tiny runs). */
  threads: number;
  /** Users per shard (default 1024): one native retrieval call and one durable record each. */
  shardSize?: number;
  /** Continue an interrupted run of the same job from its work directory. */
  resume?: boolean;
  /**
   * Seconds between durable checkpoints of the work directory (default 1; 0 = after every
   * shard). Each one syncs the part files, so this bounds both the fsyncs and the work a resume redoes.
   */
  checkpointSeconds?: number;
  /** Encode rows even without an output (benchmarks: the encoding cost without the disk). */
  encode?: 'csv' | 'jsonl' | 'parquet';
  /** Profile CPU time per phase (only meaningful with threads 0: process CPU of one busy thread). */
  cpuProfile?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Receives every shard computed by this run (in user order), e.g. for evaluation. */
  onShard?: (shard: ShardResult) => void;
}

export interface WeeklyJobSummary {
  week: string;
  users: number;
  rows: number;
  seconds: number;
  usersPerSecond: number;
  /** Users with fewer than `size` tracks (not enough eligible candidates). */
  short: number;
  /** Users whose factors were refreshed from recent events. */
  refreshed: number;
  /**
   * Users without taste evidence (no track left positive in their history: only skips, or an
   * account judged not human): their playlists are what the model's average listener would play.
   */
  cold: number;
  exposure: ExposureSummary;
  /** Seconds per phase summed over shards (worker wall time; CPU time with cpuProfile). */
  phaseSeconds: PhaseSeconds;
  /** Shards of an interrupted run that this run did not redo. */
  resumedShards: number;
  /** Shards that failed once and succeeded on the retry. */
  retriedShards: number;
  out?: string;
  archiveFile?: string;
}

export async function runWeeklyJob(o: WeeklyJobOptions): Promise<WeeklyJobSummary> {
  const started = performance.now();
  const users = o.tables.userFactors.length / o.tables.factors;
  const shardSize = Math.max(1, o.shardSize ?? 1024);
  const shards = Math.ceil(users / shardSize);
  const size = resolveRerankOptions(o.settings.rerank).size;
  // Checked here, before any worker starts: a bad weight or missing content fails the job, not each shard.
  if (o.settings.hybrid) {
    const w = resolveBlendWeights(o.settings.hybrid, 'weekly: settings.hybrid');
    if (w.content > 0 && !o.tables.content) throw new Error('weekly: a content weight needs content vectors (tables.content), and none were given');
  }
  const format = o.out ? outputFormat(o.out) : undefined;
  const gzip = o.out ? outputCompressed(o.out) : false;
  if (o.archiveDir && !WEEK_PATTERN.test(o.week)) throw new RangeError(`archive: week must look like 2026-W48, got '${o.week}'`);
  const archiveFile = o.archiveDir ? path.join(o.archiveDir, `${o.week}.csv`) : undefined;
  const exposure = new ExposureCounter(o.tables.features.artist, o.tables.features.artists, o.tables.features.popularity);
  const totals: WorkTotals = { rows: 0, short: 0, refreshed: 0, cold: 0, phaseSeconds: zeroPhases() };
  let work: WorkDir | undefined;
  let lock: RunLock | undefined;
  let pool: Piscina | undefined;
  let resumedShards = 0;
  let retriedShards = 0;
  let done = 0;
  const checkpointMs = Math.max(0, (o.checkpointSeconds ?? 1) * 1000);
  let lastCheckpoint = performance.now();
  try {
    if (o.out || archiveFile) {
      const target = o.out ?? archiveFile!;
      if (archiveFile) {
        await makeDirs(o.archiveDir!).catch((err: Error) => {
          throw new Error(`cannot create the playlist archive ${o.archiveDir}: ${err.message}`);
        });
      }
      lock = await RunLock.acquire(target, 'weekly run');
      const fingerprint = weeklyFingerprint({ tables: o.tables, settings: o.settings, week: o.week, userIds: o.userIds, names: o.names, shardSize, output: format ?? null, archive: !!archiveFile });
      work = await WorkDir.open(workDirFor(target), { fingerprint, users, shardSize, shards, size, output: format ?? null, archive: !!archiveFile }, o.resume ?? false, { gzip });
      resumedShards = work.completed;
      if (resumedShards > 0) {
        Object.assign(totals, work.totals, { phaseSeconds: { ...work.totals.phaseSeconds } });
        await work.replay((_s, count, items) => exposure.add({ size, count, items }, count.length));
        done = Math.min(users, resumedShards * shardSize);
        o.onProgress?.(done, users);
      }
      work.startOutput(o.week);
    }
    const encode = format ?? o.encode;
    const encodeSpec = encode || archiveFile ? { format: encode, week: o.week, archive: !!archiveFile, gzip } : undefined;
    const task = (s: number, attempt: number, tables: PlaylistTables): ShardTask => {
      const begin = s * shardSize;
      return { tables, settings: o.settings, shard: s, attempt, begin, end: Math.min(users, begin + shardSize), encode: encodeSpec };
    };
    const consume = async (s: number, r: WorkerResult): Promise<void> => {
      // A renewal found the lock taken: stop before writing into a work directory now another's.
      if (lock?.lost) await lock.assertHeld();
      exposure.add(r, r.users.length);
      totals.short += r.short;
      totals.refreshed += r.refreshed;
      totals.cold += r.cold;
      for (let i = 0; i < r.users.length; i++) totals.rows += r.count[i];
      addPhases(totals.phaseSeconds, r.seconds);
      o.onShard?.(r);
      if (work) {
        const now = performance.now();
        const durable = now - lastCheckpoint >= checkpointMs;
        await work.append(s, { out: format ? r.encoded?.bytes : undefined, archive: r.archiveBytes, count: r.count, items: r.items }, totals, durable);
        if (durable) lastCheckpoint = now;
      }
      done += r.users.length;
      o.onProgress?.(done, users);
    };
    // One retry per shard on a fresh worker (Piscina replaces a worker that died).
    const withRetry = async (s: number, attempt: (n: number) => Promise<WorkerResult>): Promise<WorkerResult> => {
      try {
        return await attempt(0);
      } catch {
        retriedShards++;
        try {
          return await attempt(1);
        } catch (second) {
          const begin = s * shardSize;
          const end = Math.min(users, begin + shardSize);
          throw new Error(`weekly job failed: shard ${s} (users ${begin}–${end - 1}) failed twice: ${errorMessage(second)}`);
        }
      }
    };
    const first = resumedShards;
    if (o.threads <= 0) {
      const cpu = o.cpuProfile ? cpuClock : undefined;
      let runner = new ShardRunner(cpu);
      const names = { userIds: o.userIds, names: o.names };
      for (let s = first; s < shards; s++) {
        const r = await withRetry(s, (attempt) => {
          if (attempt > 0) runner = new ShardRunner(cpu);
          return runShardTask(runner, task(s, attempt, o.tables), names);
        });
        await consume(s, r);
      }
    } else if (first < shards) {
      const tables = shareTables(o.tables);
      pool = createPlaylistPool(o.threads, { userIds: o.userIds, names: o.names });
      const inFlight = Math.max(2, o.threads * 2);
      const pending = new Map<number, Promise<WorkerResult>>();
      let next = first;
      const launch = (): void => {
        const s = next++;
        const p = withRetry(s, (attempt) => pool!.run(task(s, attempt, tables)) as Promise<WorkerResult>);
        p.catch(() => undefined); // awaited in order below
        pending.set(s, p);
      };
      for (let s = first; s < shards; s++) {
        while (next < shards && next < s + inFlight) launch();
        const r = await pending.get(s)!;
        pending.delete(s);
        await consume(s, r);
      }
    }
    if (work) {
      await work.checkpoint();
      // A run whose lock was taken (its lease lapsed, or the file was removed by hand) leaves the
      // output to the run that took it.
      await lock?.assertHeld();
      if (o.out) await work.commitOutput(o.out, o.week);
      if (archiveFile) await work.commitArchive(archiveFile);
      await work.remove();
    }
  } catch (err) {
    // Keep what completed, so --resume continues after it (unless the work directory is now
    // another run's).
    if (!(err instanceof LockLostError)) await work?.checkpoint().catch(() => undefined);
    throw work ? writeFailure(o.out ?? archiveFile!, work.dir, err) : err;
  } finally {
    await work?.close();
    await pool?.destroy();
    await lock?.release();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    week: o.week,
    users,
    rows: totals.rows,
    seconds,
    usersPerSecond: (users - Math.min(users, resumedShards * shardSize)) / Math.max(seconds, 1e-9),
    short: totals.short,
    refreshed: totals.refreshed,
    cold: totals.cold,
    exposure: exposure.summary(),
    phaseSeconds: totals.phaseSeconds,
    resumedShards,
    retriedShards,
    ...(o.out ? { out: o.out } : {}),
    ...(archiveFile ? { archiveFile } : {}),
  };
}

const WRITE_ONLY_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/**
 * A file-system failure while writing (a full disk, lost permissions) named with the output it
 * was for and what is kept, instead of a bare `ENOSPC: no space left on device, write`.
 */
export function writeFailure(target: string, workDir: string, err: unknown): unknown {
  // Only errors a write alone meets: an ENOENT or EACCES here may come from reading an index.
  if (!WRITE_ONLY_ERRORS.has((err as NodeJS.ErrnoException)?.code ?? '')) return err;
  const described = describeWriteError(target, err);
  const kept = existsSync(workDir) ? `; completed shards are kept in ${workDir}: run the same command with --resume once that is fixed, or remove it` : '';
  return new Error(`${described.message}${kept}`, { cause: err });
}
