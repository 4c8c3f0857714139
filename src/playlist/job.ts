/**
 * The weekly job: every user's playlist, built in shards of users across a worker pool on shared
 * tables, written in user order to the output (atomically) and to the archive's week file, with
 * an exposure summary across all users.
 */
import type { Piscina } from 'piscina';
import type { AtomicTextWriter } from '../util/atomic-writer.js';
import { ExposureCounter, type ExposureSummary } from '../rerank/exposure.js';
import type { ShardResult } from './shard.js';
import { ShardRunner } from './shard.js';
import { archiveLines, openArchiveWeek } from './archive.js';
import { encodeRows, openPlaylistSink, type PlaylistSink } from './output.js';
import { createPlaylistPool } from './pool.js';
import type { ReasonNames } from './reasons.js';
import { toBatch } from './rows.js';
import { shareTables } from './shared.js';
import type { PlaylistTables, ShardSettings } from './tables.js';
import type { ShardTask, WorkerResult } from './worker.js';

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
  /** Users per shard (default 1024). */
  shardSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Receives every finished shard (in user order), e.g. for evaluation. */
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
  exposure: ExposureSummary;
  /** Worker seconds per phase, summed over shards. */
  phaseSeconds: { foldIn: number; retrieve: number; rerank: number };
  out?: string;
  archiveFile?: string;
}

export async function runWeeklyJob(o: WeeklyJobOptions): Promise<WeeklyJobSummary> {
  const started = performance.now();
  const users = o.tables.userFactors.length / o.tables.factors;
  const shardSize = Math.max(1, o.shardSize ?? 1024);
  const shards = Math.ceil(users / shardSize);
  const exposure = new ExposureCounter(o.tables.features.artist, o.tables.features.artists, o.tables.features.popularity);
  const sink: PlaylistSink | undefined = o.out ? await openPlaylistSink(o.out, o.week) : undefined;
  let archive: AtomicTextWriter | undefined;
  let pool: Piscina | undefined;
  let rows = 0;
  let short = 0;
  let refreshed = 0;
  let done = 0;
  const phaseSeconds = { foldIn: 0, retrieve: 0, rerank: 0 };
  try {
    archive = o.archiveDir ? await openArchiveWeek(o.archiveDir, o.week) : undefined;
    const consume = async (r: WorkerResult): Promise<void> => {
      exposure.add(r, r.users.length);
      short += r.short;
      refreshed += r.refreshed;
      phaseSeconds.foldIn += r.seconds.foldIn;
      phaseSeconds.retrieve += r.seconds.retrieve;
      phaseSeconds.rerank += r.seconds.rerank;
      o.onShard?.(r);
      let encoded = r.encoded;
      let archiveText = r.archiveText;
      if ((sink && !encoded) || (archive && archiveText === undefined)) {
        // Shards run on this thread: encode here.
        const batch = toBatch(r, o.userIds, o.names);
        if (sink) encoded = encodeRows(batch, o.week, sink.format);
        if (archive) archiveText = archiveLines(batch);
      }
      for (let i = 0; i < r.users.length; i++) rows += r.count[i];
      if (sink && encoded) await sink.write(encoded);
      if (archive && archiveText) await archive.write(archiveText);
      done += r.users.length;
      o.onProgress?.(done, users);
    };
    if (o.threads <= 0) {
      const runner = new ShardRunner();
      await runner.prepare(o.tables, o.settings);
      for (let s = 0; s < shards; s++) {
        const begin = s * shardSize;
        const end = Math.min(users, begin + shardSize);
        const ids = new Int32Array(end - begin);
        for (let i = 0; i < ids.length; i++) ids[i] = begin + i;
        await consume(runner.run(o.tables, o.settings, ids));
      }
    } else {
      const tables = shareTables(o.tables);
      pool = createPlaylistPool(o.threads, { userIds: o.userIds, names: o.names });
      const inFlight = Math.max(2, o.threads * 2);
      const pending = new Map<number, Promise<WorkerResult>>();
      const encode = { format: sink?.format, week: o.week, archive: archive !== undefined };
      let next = 0;
      const launch = (): void => {
        const begin = next * shardSize;
        const task: ShardTask = { tables, settings: o.settings, begin, end: Math.min(users, begin + shardSize), encode };
        pending.set(next, pool!.run(task) as Promise<WorkerResult>);
        next++;
      };
      for (let s = 0; s < shards; s++) {
        while (next < shards && next < s + inFlight) launch();
        const r = await pending.get(s)!;
        pending.delete(s);
        await consume(r);
      }
    }
    if (sink) await sink.commit();
    if (archive) await archive.commit();
  } catch (err) {
    await sink?.abort();
    await archive?.abort();
    throw err;
  } finally {
    await pool?.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    week: o.week,
    users,
    rows,
    seconds,
    usersPerSecond: users / Math.max(seconds, 1e-9),
    short,
    refreshed,
    exposure: exposure.summary(),
    phaseSeconds,
    ...(o.out ? { out: o.out } : {}),
    ...(archive ? { archiveFile: archive.target } : {}),
  };
}

