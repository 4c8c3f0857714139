/**
 * Ingest throughput: generates a seeded synthetic event log as typed arrays, writes it once as
 * Parquet and CSV (cached in the temp folder), then times readEvents on each file in its own
 * child process so each format's peak RSS is its own.
 *
 *   tsx bench/ingest.ts [--events 10000000] [--users 100000] [--tracks 200000] [--seed 7] [--runs 1] [--strict] [--stall]
 *                       [--formats parquet,parquet_zstd,parquet_plain_ids,csv,csv_threads]
 *   tsx bench/ingest.ts --file events.parquet [--file events.csv ...] [--runs 3] [--strict] [--read-threads n] [--counts]
 * `--strict` reads as `--strict` does (duplicates checked on arrival, in a hash index of every
 * event kept, rather than all at once afterwards). `--stall` probes the reading process's event
 * loop (a 1 ms timer) and adds `longest_stall_ms`, the longest it was held, to each run.
 * prints {events, users, tracks, load_average, strict, parquet: {seconds, cpu_seconds, events_per_s,
 * events_per_cpu_s, peak_rss_mb}, parquet_zstd: {...}, parquet_plain_ids: {...}, csv: {...}}: the
 * median run (by seconds) and, with several runs, the best one and every run's seconds. `parquet`
 * is Snappy-compressed, what Spark and pyarrow write by default; `parquet_zstd` the same rows with
 * ZSTD (smaller, slower to decode); `parquet_plain_ids` Snappy with the ids as plain strings, as
 * writers store ids with too many distinct values for a dictionary page (every row is then a
 * lookup of its id: try --users 1000000). `csv` is read on one thread (`readThreads: 1`), and
 * `csv_threads` is the same file read as readEvents does by default, in byte ranges on the
 * machine's cores (`read_threads` in its summary).
 * With `--file`, the given files are timed instead (read with `--read-threads`, default 1; with
 * `--counts` as counts files, `readCounts`, their rows counted as events) (your own exports: a Parquet file from another
 * writer may come back with plain-string ids, the slower path) and the result holds {files: {path:
 * summary}}.
 * `--formats` writes and times only the files named (all five by default): at 100 M events the
 * CSV alone is about 4 GB.
 * On a shared machine wall-clock figures vary with the load; CPU seconds (user + system of the
 * reading process) vary less.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCounts, readEvents, writeEventsCsv, writeEventsParquet } from '../src/data/index.js';
import { readThreadsOf as readThreadsDefault } from '../src/data/csv-split-read.js';
import { withLoopStall } from '../src/bench/loop-stall.js';
import { BenchFlags } from './args.js';
import { syntheticLog } from './synthetic-log.js';
import { peakRssMb } from '../src/util/peak-rss.js';

interface Timing {
  seconds: number;
  cpu_seconds: number;
  events: number;
  peak_rss_mb: number;
  /** With --stall: the longest the reading process's event loop was held, in ms. */
  longest_stall_ms?: number;
}

/** How the files are read: as events (strictly or not) or counts, on how many threads, with the event loop probed. */
interface ReadMode {
  strict: boolean;
  stall: boolean;
  readThreads: number;
  counts: boolean;
}

async function child(file: string, mode: ReadMode): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { strict, readThreads } = mode;
  const read = async (): Promise<number> => (mode.counts ? (await readCounts(file, { readThreads })).user.length : (await readEvents(file, { strict, readThreads })).log.length);
  const probed = mode.stall ? await withLoopStall(read) : null;
  const rows = probed ? probed.result : await read();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const timing: Timing = {
    seconds,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    events: rows,
    peak_rss_mb: peakRssMb(),
    ...(probed ? { longest_stall_ms: Math.round(probed.longestStallMs) } : {}),
  };
  process.stdout.write(`${JSON.stringify(timing)}\n`);
}

type Run = Timing & { events_per_s: number; events_per_cpu_s: number; read_threads?: number };

function timeInChild(file: string, mode: ReadMode): Run {
  const script = fileURLToPath(import.meta.url);
  const { strict, stall, readThreads, counts } = mode;
  const args = [script, '--child', file, '--read-threads', String(readThreads), ...(strict ? ['--strict'] : []), ...(stall ? ['--stall'] : []), ...(counts ? ['--counts'] : [])];
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    cwd: path.resolve(path.dirname(script), '..'),
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`reading ${file} failed:\n${r.stderr}`);
  const t = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Timing;
  return {
    seconds: round(t.seconds),
    cpu_seconds: round(t.cpu_seconds),
    events: t.events,
    events_per_s: Math.round(t.events / t.seconds),
    events_per_cpu_s: Math.round(t.events / t.cpu_seconds),
    peak_rss_mb: round(t.peak_rss_mb),
    ...(t.longest_stall_ms !== undefined ? { longest_stall_ms: t.longest_stall_ms } : {}),
    ...(readThreads > 1 ? { read_threads: readThreads } : {}),
  };
}

/** The median run by seconds; with several runs also the fastest and all seconds. */
function summary(runs: Run[]): Run & { best?: Run; all_seconds?: number[] } {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[(sorted.length - 1) >> 1];
  if (runs.length === 1) return median;
  return { ...median, best: sorted[0], all_seconds: runs.map((r) => r.seconds) };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Times reading each given file `runs` times, alternating between the files. */
function timeFiles(files: string[], runs: number, mode: ReadMode): void {
  for (const f of files) if (!existsSync(f)) throw new Error(`--file ${f}: no such file`);
  const load = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const timings = files.map((): Run[] => []);
  for (let r = 0; r < runs; r++) files.forEach((f, i) => timings[i].push(timeInChild(path.resolve(f), mode)));
  const result = { load_average: load, strict: mode.strict, ...(mode.counts ? { counts: true } : {}), files: Object.fromEntries(files.map((f, i) => [f, summary(timings[i])])) };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** The bench's files, by the name their timings have in the result. */
const FILES = {
  parquet: 'events.snappy.parquet',
  parquet_zstd: 'events.parquet',
  parquet_plain_ids: 'events.plain-ids.snappy.parquet',
  csv: 'events.csv',
  csv_threads: 'events.csv',
} as const;
type Format = keyof typeof FILES;

/** Threads a format's file is read on: one, except csv_threads (the default of readEvents). */
function readThreadsOf(f: Format): number {
  return f === 'csv_threads' ? readThreadsDefault(undefined) : 1;
}

/** The formats named by --formats (comma-separated), every one when not given. */
function chosenFormats(text: string | undefined): Format[] {
  if (text === undefined) return Object.keys(FILES) as Format[];
  const names = text.split(',').map((f) => f.trim()).filter((f) => f !== '');
  const bad = names.find((f) => !(f in FILES));
  if (bad !== undefined || names.length === 0) throw new Error(`--formats takes some of ${Object.keys(FILES).join(', ')}, got '${text}'`);
  return names as Format[];
}

async function main(): Promise<void> {
  const flags = BenchFlags.parse({
    child: 'value',
    file: 'values',
    runs: 'value',
    events: 'value',
    users: 'value',
    tracks: 'value',
    seed: 'value',
    formats: 'value',
    'read-threads': 'value',
    strict: 'switch',
    stall: 'switch',
    counts: 'switch',
  });
  const strict = flags.on('strict');
  const stall = flags.on('stall');
  const readThreads = flags.int('read-threads', 1);
  const mode: ReadMode = { strict, stall, readThreads, counts: flags.on('counts') };
  const childFile = flags.text('child');
  if (childFile !== undefined) return child(childFile, mode);
  const files = flags.texts('file');
  if (files.length > 0) return timeFiles(files, flags.int('runs', 1), mode);
  if (mode.counts) throw new Error('--counts times the files given with --file');
  const events = flags.int('events', 10_000_000);
  const users = flags.int('users', 100_000);
  const tracks = flags.int('tracks', 200_000);
  const seed = flags.int('seed', 7, 0);
  const runs = flags.int('runs', 1);
  const formats = chosenFormats(flags.text('formats'));
  // The folder names the writer version: v2 files keep id columns dictionary-encoded throughout.
  const dir = path.join(os.tmpdir(), 'mixtape-bench-ingest', `${events}-${users}-${tracks}-${seed}-v3`);
  mkdirSync(dir, { recursive: true });
  const file = (f: Format): string => path.join(dir, FILES[f]);
  const missing = formats.filter((f) => !existsSync(file(f)));
  if (missing.length > 0) {
    const log = syntheticLog(events, seed, { users, tracks });
    for (const f of missing) {
      if (existsSync(file(f))) continue; // csv and csv_threads share one file
      if (f === 'csv' || f === 'csv_threads') await writeEventsCsv(log, file(f));
      else await writeEventsParquet(log, file(f), { compression: f === 'parquet_zstd' ? 'zstd' : 'snappy', plainIds: f === 'parquet_plain_ids' });
    }
  }
  const load = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const timings = formats.map((): Run[] => []);
  for (let r = 0; r < runs; r++) formats.forEach((f, i) => timings[i].push(timeInChild(file(f), { ...mode, readThreads: readThreadsOf(f) })));
  const result = { events, users, tracks, load_average: load, strict, ...Object.fromEntries(formats.map((f, i) => [f, summary(timings[i])])) };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
