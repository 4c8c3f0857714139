/**
 * Weekly job throughput on generated factors (k = 64 by default): every user's playlist through
 * the full path (exclusions merged per shard, exact top-C, re-ranking, reasons, exposure view)
 * across the worker pool. Prints JSON with users/s, the projection to 1,000,000 users and the
 * peak RSS. Output files are optional (--out), so the figure isolates the job itself unless asked.
 *
 *   npx tsx bench/weekly.ts --users 1000000 --tracks 200000     the target size
 *   npx tsx bench/weekly.ts --users 20000 --tracks 200000       a smoke run
 */
import { parseArgs } from 'node:util';
import { Dictionary } from '../src/data/dictionary.js';
import { gram } from '../src/native/index.js';
import { runWeeklyJob } from '../src/playlist/job.js';
import type { PlaylistTables } from '../src/playlist/tables.js';
import { unitRows, usersPerItem } from '../src/rerank/item-features.js';
import { syntheticFactors } from '../src/retrieve/synthetic-factors.js';
import { defaultThreads } from '../src/train/pool.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '20000' },
    tracks: { type: 'string', default: '200000' },
    factors: { type: 'string', default: '64' },
    candidates: { type: 'string', default: '500' },
    size: { type: 'string', default: '30' },
    threads: { type: 'string', default: String(defaultThreads()) },
    shard: { type: 'string', default: '1024' },
    out: { type: 'string' },
  },
});
const users = Number(values.users);
const items = Number(values.tracks);
const k = Number(values.factors);
const g0 = performance.now();
const w = syntheticFactors({ users, items, factors: k, seed: 5 });
const shared = (n: number): Float32Array => new Float32Array(new SharedArrayBuffer(n * 4));
const unitFactors = unitRows(w.itemFactors, k, shared(items * k));
const features = {
  artist: w.trackArtist,
  artists: w.artists,
  popularity: usersPerItem(w.seen.indices, items, shared(items)),
  unitFactors,
  factors: k,
  diversity: unitFactors,
  diversityDim: k,
};
const tables: PlaylistTables = {
  factors: k,
  userFactors: w.userFactors,
  itemFactors: w.itemFactors,
  itemGram: gram(w.itemFactors, k),
  params: { factors: k, regularization: 0.01, alpha: 1, confidence: 'linear', epsilon: 1, cgSteps: 3 },
  seen: w.seen,
  features,
};
const generateSeconds = (performance.now() - g0) / 1000;
const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const trackIds = ids('t', items);
const artistIds = new Dictionary();
for (let a = 0; a < w.artists; a++) artistIds.intern(`a${a}`);
let last = 0;
const summary = await runWeeklyJob({
  tables,
  settings: { candidates: Number(values.candidates), rerank: { size: Number(values.size), asOf: Date.UTC(2026, 10, 26) }, weekKey: 202648, historySize: 20, retrieval: 'exact', foldInRecent: false },
  userIds: ids('u', users),
  names: { trackIds, artistIds: artistIds.ids, trackArtist: w.trackArtist },
  week: '2026-W48',
  out: values.out,
  threads: Number(values.threads),
  shardSize: Number(values.shard),
  onProgress: (done, total) => {
    if (done - last >= total / 10 || done === total) {
      last = done;
      process.stderr.write(`${done}/${total} users\n`);
    }
  },
});
const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(
  JSON.stringify(
    {
      users,
      tracks: items,
      factors: k,
      candidates: Number(values.candidates),
      threads: Number(values.threads),
      generateSeconds,
      jobSeconds: summary.seconds,
      usersPerSecond: summary.usersPerSecond,
      projectedSecondsFor1MUsers: 1_000_000 / summary.usersPerSecond,
      meetsTenMinutesAt1M: 1_000_000 / summary.usersPerSecond <= 600,
      workerSecondsPerPhase: summary.phaseSeconds,
      peakRssMb: rssMb,
      short: summary.short,
      exposure: summary.exposure,
    },
    null,
    2,
  ) + '\n',
);
