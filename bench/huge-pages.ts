/**
 * What advising large arrays onto huge pages (src/util/large-array.ts) saves: the signals stage on
 * a seeded synthetic log, the ingest's duplicate search over the same log's events, and optionally
 * reading an event file, each timed in child processes that alternate MIXTAPE_HUGE_PAGES=0 and 1,
 * so both settings see the same machine in the same run.
 *
 *   tsx bench/huge-pages.ts [--events 10000000] [--users 1000000] [--tracks 300000] [--days 56] [--runs 2] [--seed 7]
 *                           [--stages signals,duplicates] [--file events.parquet]
 *
 * prints JSON: per stage and setting the median seconds (with min and max), CPU user and system
 * seconds and peak RSS of the child, and `speedup` (seconds off / seconds on). The system seconds
 * are mostly page faults: with 4 KiB pages every first touch of 4 KiB takes one.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvents } from '../src/data/index.js';
import { findDuplicates } from '../src/data/find-duplicates.js';
import { computeSignals } from '../src/signals/index.js';
import { peakRssMb } from '../src/util/peak-rss.js';
import { BenchFlags } from './args.js';
import { syntheticLog } from './synthetic-log.js';

interface Timing {
  seconds: number;
  user_s: number;
  sys_s: number;
  peak_rss_mb: number;
}

const flags = BenchFlags.parse({
  events: 'value',
  users: 'value',
  tracks: 'value',
  days: 'value',
  seed: 'value',
  runs: 'value',
  file: 'value',
  stages: 'value',
  child: 'value',
});
const events = flags.int('events', 10_000_000);
const users = flags.int('users', 1_000_000);
const tracks = flags.int('tracks', 300_000);
const days = flags.int('days', 56);
const seed = flags.int('seed', 7, 0);

/** Runs the timed step once in this process and prints its timing (the child side). */
async function child(stage: string): Promise<void> {
  let step: () => unknown | Promise<unknown>;
  if (stage === 'signals') {
    const log = syntheticLog(events, seed, { users, tracks, days });
    const asOf = Date.UTC(2023, 0, 1) + days * 86_400_000;
    step = () => computeSignals(log, { asOf });
  } else if (stage === 'duplicates') {
    const log = syntheticLog(events, seed, { users, tracks, days });
    step = () => findDuplicates(log.user, log.track, log.timestamp, log.kind, log.length);
  } else {
    step = () => readEvents(stage);
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await step();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const timing: Timing = { seconds, user_s: cpu.user / 1e6, sys_s: cpu.system / 1e6, peak_rss_mb: peakRssMb() };
  process.stdout.write(`${JSON.stringify(timing)}\n`);
}

function timeInChild(stage: string, huge: boolean): Timing {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', script, ...process.argv.slice(2), '--child', stage], {
    cwd: path.resolve(path.dirname(script), '..'),
    env: { ...process.env, MIXTAPE_HUGE_PAGES: huge ? '1' : '0' },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${stage} (huge pages ${huge ? 'on' : 'off'}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Timing;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

function summary(runs: Timing[]): Record<string, unknown> {
  const secs = runs.map((r) => r.seconds);
  return {
    seconds: round(median(secs)),
    min: round(Math.min(...secs)),
    max: round(Math.max(...secs)),
    user_s: round(median(runs.map((r) => r.user_s))),
    sys_s: round(median(runs.map((r) => r.sys_s))),
    peak_rss_mb: Math.round(median(runs.map((r) => r.peak_rss_mb))),
  };
}

async function main(): Promise<void> {
  const childStage = flags.text('child');
  if (childStage !== undefined) return child(childStage);
  const runs = flags.int('runs', 2);
  const file = flags.text('file');
  const named = flags.text('stages', 'signals,duplicates').split(',').filter((s) => s !== '');
  for (const s of named) if (s !== 'signals' && s !== 'duplicates') throw new Error(`--stages: unknown stage '${s}' (signals, duplicates)`);
  const stages = [...named, ...(file ? [path.resolve(file)] : [])];
  const load = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const result: Record<string, unknown> = { events, users, tracks, days, runs, load_average: load };
  for (const stage of stages) {
    const off: Timing[] = [];
    const on: Timing[] = [];
    for (let r = 0; r < runs; r++) {
      off.push(timeInChild(stage, false));
      on.push(timeInChild(stage, true));
    }
    const key = stage === 'signals' ? 'compute_signals' : stage === 'duplicates' ? 'find_duplicates' : `read ${file}`;
    result[key] = {
      huge_pages_off: summary(off),
      huge_pages_on: summary(on),
      speedup: round(median(off.map((t) => t.seconds)) / median(on.map((t) => t.seconds))),
    };
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
