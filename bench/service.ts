/**
 * The module as a service calls it: the first calls on a loaded model, cold and after Model.warm;
 * per-call latency of Model.recommend, similarTracks, foldIn,
 * recommendVector and weeklyPlaylist on a saved and reloaded model, and how long the event loop
 * stalls while weeklyPlaylist calls are in flight (a timer probe every millisecond). Medians of
 * `--calls` calls after a warm-up, one call at a time, then `--concurrency` at once. Prints JSON.
 *
 *   npx tsx bench/service.ts                       200,000 tracks × 64 factors, 2,000 users
 *   npx tsx bench/service.ts --tracks 20000 --calls 20
 *   npx tsx bench/service.ts --users 1000000 --tracks 20000 --calls 100 --skip-first-call
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Dictionary } from '../src/data/dictionary.js';
import { saveModelDir } from '../src/model/format.js';
import { Model } from '../src/model/model.js';
import { syntheticFactors } from '../src/retrieve/synthetic-factors.js';
import { summarize } from '../src/bench/stats.js';
import { BenchFlags } from './args.js';

const flags = BenchFlags.parse({ users: 'value', tracks: 'value', factors: 'value', calls: 'value', concurrency: 'value', 'skip-first-call': 'switch' });
const users = flags.int('users', 2000);
const tracks = flags.int('tracks', 200_000);
const k = flags.int('factors', 64);
const calls = flags.int('calls', 50);
const concurrency = flags.int('concurrency', 8);

const w = syntheticFactors({ users, items: tracks, factors: k, seed: 11 });
const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-service-'));
const ids = (prefix: string, n: number): Dictionary => Dictionary.from(Array.from({ length: n }, (_, i) => `${prefix}${i}`));
await saveModelDir(
  dir,
  {
    params: { factors: k, iterations: 0, regularization: 0.01, alpha: 1, confidence: 'linear', epsilon: 1, solver: 'cg', cgSteps: 3, seed: 0 },
    users: ids('u', users),
    items: ids('t', tracks),
    userFactors: w.userFactors,
    itemFactors: w.itemFactors,
    seen: w.seen,
    history: [],
  },
  'bench',
);
// The first calls on a freshly loaded model build caches (unit vectors, track features, the
// re-ranker's tables): measured cold, then on a second load warmed first (as ModelHandle.reload does).
const firstCalls = async (m: Model): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  for (const [name, f] of [
    ['foldIn', () => m.foldIn([{ trackId: 't5', weight: 1 }])],
    ['similarTracks', () => m.similarTracks('t5', 10)],
    ['weeklyPlaylist', () => m.weeklyPlaylist('u1', { asOf: Date.UTC(2026, 10, 26) })],
  ] as const) {
    const t = performance.now();
    await f();
    out[name] = +(performance.now() - t).toFixed(1);
  }
  return out;
};
async function measureFirstCalls(): Promise<Record<string, unknown>> {
  const cold = await firstCalls(await Model.load(dir));
  const m = await Model.load(dir);
  // Versions before Model.warm have none: their figures are the cold ones (to compare versions).
  if (typeof m.warm !== 'function') return { coldMs: cold };
  const t = performance.now();
  await m.warm();
  const loadAndWarmMs = +(performance.now() - t).toFixed(1);
  return { coldMs: cold, warmedMs: await firstCalls(m), warmMs: loadAndWarmMs };
}
const firstCall = flags.on('skip-first-call') ? undefined : await measureFirstCalls();
const model = await Model.load(dir);
rmSync(dir, { recursive: true, force: true });
const asOf = Date.UTC(2026, 10, 26);
const artists = Dictionary.from(Array.from({ length: w.artists }, (_, a) => `a${a}`));
const meta = { artists, trackArtist: w.trackArtist };
const user = (i: number): string => `u${(i * 7919) % users}`;
const history = Array.from({ length: 20 }, (_, i) => ({ trackId: `t${(i * 104729) % tracks}`, weight: 1 + (i % 3) }));
const vector = await model.foldIn(history);

/** Median, range and calls/s of `f(i)`, one call at a time. */
async function perCall(f: (i: number) => Promise<unknown>): Promise<{ medianMs: number; minMs: number; maxMs: number; callsPerSecond: number }> {
  for (let i = 0; i < 3; i++) await f(i);
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await f(i);
    ms.push(performance.now() - t);
  }
  const s = summarize(ms);
  return { medianMs: +s.median.toFixed(2), minMs: +s.min.toFixed(2), maxMs: +s.max.toFixed(2), callsPerSecond: +(1000 / s.median).toFixed(1) };
}

const latency = {
  recommend: await perCall((i) => model.recommend(user(i), { n: 30 })),
  similarTracks: await perCall((i) => model.similarTracks(`t${i}`, 10)),
  foldIn: await perCall(() => model.foldIn(history)),
  recommendVector: await perCall(() => model.recommendVector(vector, { n: 30 })),
  weeklyPlaylist: await perCall((i) => model.weeklyPlaylist(user(i), { asOf })),
  // A service passing its own track metadata, and one asking for "now" on every call.
  weeklyPlaylistWithMeta: await perCall((i) => model.weeklyPlaylist(user(i), { asOf, meta })),
  weeklyPlaylistAsOfNow: await perCall((i) => model.weeklyPlaylist(user(i), { asOf: Date.now() })),
};

// Event-loop stalls while `concurrency` weeklyPlaylist calls are in flight, `calls` in all.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < calls) await model.weeklyPlaylist(user(next++), { asOf });
  }),
);
const seconds = (performance.now() - t0) / 1000;
delay.disable();
const ms = (ns: number): number => +(ns / 1e6).toFixed(2);
const concurrent = {
  concurrency,
  calls,
  callsPerSecond: +(calls / seconds).toFixed(1),
  eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
};
process.stdout.write(JSON.stringify({ model: { users, tracks, factors: k }, firstCall, latency, concurrent }, null, 2) + '\n');
