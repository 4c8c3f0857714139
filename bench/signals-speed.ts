/**
 * Speed of the signals stage at scale: computeSignals on a seeded synthetic log, and its two
 * ordering steps timed against the counting-sort chain the engine used before (test/reference),
 * on the same arrays in the same run, so the ratios hold on a noisy machine.
 *
 *   tsx bench/signals-speed.ts [--events 10000000] [--users 1000000] [--tracks 300000] [--days 56] [--runs 3] [--seed 7] [--threads cores]
 *
 * prints JSON: per case the median seconds (and min, max), the new/old ratio of the orderings,
 * computeSignals events/s, the stage on one worker thread and split by accounts over `--threads`
 * (computeSignalsAsync, threads 1 and N, their ratio), the caller's longest event-loop stall in
 * seconds for each, and the process's peak RSS.
 */
import os from 'node:os';
import { summarizeMs } from '../src/bench/stats.js';
import { buildCsr } from '../src/data/csr.js';
import { computeSignals } from '../src/signals/index.js';
import { computeSignalsAsync } from '../src/signals/off-thread.js';
import { withLoopStall } from '../src/bench/loop-stall.js';
import { orderByKeys, type KeyField } from '../src/util/radix-order.js';
import { peakRssMb } from '../src/util/peak-rss.js';
import { defaultThreads } from '../src/util/worker-pool.js';
import { countingSortChain, countingSortCsr } from '../test/reference/order.js';
import { BenchFlags } from './args.js';
import { syntheticLog } from './synthetic-log.js';

const flags = BenchFlags.parse({ events: 'value', users: 'value', tracks: 'value', days: 'value', runs: 'value', seed: 'value', threads: 'value' });
const events = flags.int('events', 10_000_000);
const users = flags.int('users', 1_000_000);
const tracks = flags.int('tracks', 300_000);
const days = flags.int('days', 56);
const runs = flags.int('runs', 3);
const seed = flags.int('seed', 7, 0);
const threads = flags.int('threads', defaultThreads());

function seconds(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
}

const log = syntheticLog(events, seed, { users, tracks, days });
const asOf = Date.UTC(2023, 0, 1) + days * 86_400_000;
const day = Int32Array.from(log.timestamp, (t) => Math.floor((t - Date.UTC(2023, 0, 1)) / 86_400_000));
const all = Int32Array.from({ length: events }, (_, i) => i);
const byUserTrackDay: KeyField[] = [
  { key: log.user, buckets: users },
  { key: log.track, buckets: tracks },
  { key: day, buckets: days },
];
const weight = Float32Array.from({ length: events }, (_, i) => (i % 7) / 7);

const t = { order_radix: [] as number[], order_counting: [] as number[], csr_radix: [] as number[], csr_counting: [] as number[], signals: [] as number[], signals_async: [] as number[], signals_sharded: [] as number[], stall_sync: [] as number[], stall_async: [] as number[], stall_sharded: [] as number[] };
for (let run = 0; run < runs; run++) {
  t.order_radix.push(seconds(() => orderByKeys(all, byUserTrackDay)));
  t.order_counting.push(seconds(() => countingSortChain(all, byUserTrackDay)));
  t.csr_radix.push(seconds(() => buildCsr(users, tracks, log.user, log.track, [weight])));
  t.csr_counting.push(seconds(() => countingSortCsr(users, tracks, log.user, log.track, [weight])));
  // The caller's event loop while the stage runs on it, and while it runs on a worker thread.
  const sync = await withLoopStall(async () => computeSignals(log, { asOf }));
  t.signals.push(sync.seconds);
  t.stall_sync.push(sync.longestStallMs / 1000);
  const off = await withLoopStall(() => computeSignalsAsync(log, { asOf, threads: 1 }));
  t.signals_async.push(off.seconds);
  t.stall_async.push(off.longestStallMs / 1000);
  const sharded = await withLoopStall(() => computeSignalsAsync(log, { asOf, threads }));
  t.signals_sharded.push(sharded.seconds);
  t.stall_sharded.push(sharded.longestStallMs / 1000);
}
const s = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, summarizeMs(v)])) as Record<keyof typeof t, ReturnType<typeof summarizeMs>>;
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
const result = {
  events,
  users,
  tracks,
  days,
  runs,
  load_average: os.loadavg().map((v) => Math.round(v * 100) / 100),
  order_by_user_track_day: { radix: s.order_radix, counting_sort_chain: s.order_counting, speedup: ratio(s.order_counting.median, s.order_radix.median) },
  build_csr: { radix: s.csr_radix, counting_sort: s.csr_counting, speedup: ratio(s.csr_counting.median, s.csr_radix.median) },
  compute_signals: { ...s.signals, events_per_s: Math.round(events / s.signals.median), longest_stall: s.stall_sync },
  compute_signals_async: { ...s.signals_async, longest_stall: s.stall_async },
  compute_signals_async_sharded: { threads, ...s.signals_sharded, longest_stall: s.stall_sharded, speedup: ratio(s.signals_async.median, s.signals_sharded.median) },
  peak_rss_mb: Math.round(peakRssMb()),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
