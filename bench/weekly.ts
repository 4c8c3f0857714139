/**
 * Weekly job throughput on generated factors with ALS-like structure (src/retrieve/synthetic-
 * factors.ts: clustered tastes, item norms growing with play counts), k = 64 by default: every
 * user's playlist through the full path (exclusions merged per shard, exact top-C, re-ranking,
 * reasons, output rows encoded in the workers, exposure view) across the worker pool.
 *
 * Prints JSON: users/s (wall), process CPU seconds and users per CPU-second (what the job would
 * reach on idle cores: the machine is shared), worker wall seconds per phase, peak RSS; with
 * --profile, CPU seconds per phase measured on one thread over a sample of users; with --quality,
 * how the final playlists of a sample change with the candidate width C (against C = 500).
 *
 *   npx tsx bench/weekly.ts --users 1000000 --tracks 200000       the target size
 *   npx tsx bench/weekly.ts --users 100000 --tracks 200000        a tenth (extrapolated)
 *   npx tsx bench/weekly.ts --users 20000 --profile 4096 --quality 2000
 *   npx tsx bench/weekly.ts --users 20000 --profile 4096 --content-dim 64 --content-weight 0.3
 *
 * --content-dim gives the tracks content vectors (a seeded random projection of their factors plus
 * noise, unit length) that serve the diversity term, and --content-weight above 0 turns on the
 * hybrid stage over them: the cost of the blend is the difference against weight 0.
 */
import { Dictionary } from '../src/data/dictionary.js';
import { gram } from '../src/native/index.js';
import { runWeeklyJob } from '../src/playlist/job.js';
import { ShardRunner, cpuClock, type ShardResult } from '../src/playlist/shard.js';
import type { PlaylistTables, ShardSettings } from '../src/playlist/tables.js';
import { unitRows, usersPerItem } from '../src/rerank/item-features.js';
import { syntheticFactors } from '../src/retrieve/synthetic-factors.js';
import { defaultThreads } from '../src/util/worker-pool.js';
import { DEFAULT_CANDIDATES } from '../src/playlist/tables.js';
import { BenchFlags, valueFlags } from './args.js';
import { peakRssMb } from '../src/util/peak-rss.js';

const flags = BenchFlags.parse({
  ...valueFlags('users', 'tracks', 'factors', 'candidates', 'size', 'threads', 'shard', 'encode', 'out', 'profile', 'quality'),
  'content-dim': 'value',
  'content-weight': 'value',
  'skip-job': 'switch',
});
const users = flags.int('users', 20_000);
const items = flags.int('tracks', 200_000);
const k = flags.int('factors', 64);
const C = flags.int('candidates', DEFAULT_CANDIDATES);
const size = flags.int('size', 30);
const threads = flags.int('threads', defaultThreads());
const shardSize = flags.int('shard', 1024);
const profileUsers = flags.int('profile', 0, 0);
const qualityUsers = flags.int('quality', 0, 0);
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
const contentDim = flags.int('content-dim', 0, 0);
const contentWeight = flags.number('content-weight', 0, 'a number ≥ 0', (v) => v >= 0);
if (contentWeight > 0 && contentDim === 0) throw new Error('--content-weight needs --content-dim');
const content = contentDim > 0 ? { unit: contentVectors(w.itemFactors, k, contentDim), dim: contentDim } : undefined;
if (content) {
  features.diversity = content.unit;
  features.diversityDim = content.dim;
}
const tables: PlaylistTables = {
  factors: k,
  userFactors: w.userFactors,
  itemFactors: w.itemFactors,
  itemGram: gram(w.itemFactors, k),
  params: { factors: k, regularization: 0.01, alpha: 1, confidence: 'linear', epsilon: 1, cgSteps: 3 },
  seen: w.seen,
  features,
  ...(content ? { content } : {}),
};
const generateSeconds = (performance.now() - g0) / 1000;
const settings = (candidates: number): ShardSettings => ({
  candidates,
  rerank: { size, asOf: Date.UTC(2026, 10, 26) },
  weekKey: 202648,
  historySize: 30,
  retrieval: 'exact',
  foldInRecent: false,
  ...(content ? { hybrid: { cf: 1, content: contentWeight } } : {}),
});
const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const trackIds = ids('t', items);
const artistIds = new Dictionary();
for (let a = 0; a < w.artists; a++) artistIds.intern(`a${a}`);
const userIds = ids('u', users);
const names = { trackIds, artistIds: artistIds.ids, trackArtist: w.trackArtist };
const encodeFlag = flags.choice('encode', ['csv', 'jsonl', 'parquet', 'none'] as const, 'csv');
const encode = encodeFlag === 'none' ? undefined : encodeFlag;
const report: Record<string, unknown> = { users, tracks: items, factors: k, candidates: C, contentDim, contentWeight, threads, shardSize, encode: encode ?? 'none', generateSeconds };

// CPU per phase on this thread alone (process CPU time = this thread's while the pool is idle).
const sample = Math.min(users, profileUsers);
if (sample > 0) {
  const s = await runWeeklyJob({ tables: { ...tables, userFactors: w.userFactors.subarray(0, sample * k) }, settings: settings(C), userIds, names, week: '2026-W48', threads: 0, shardSize, encode, cpuProfile: true });
  const cpuMsPerUser = Object.fromEntries(Object.entries(s.phaseSeconds).map(([p, v]) => [p, +((v * 1000) / sample).toFixed(4)]));
  const total = Object.values(s.phaseSeconds).reduce((a, b) => a + b, 0);
  report.profile = { users: sample, cpuMsPerUser, totalCpuMsPerUser: +((total * 1000) / sample).toFixed(4), usersPerCpuSecond: sample / total };
  process.stderr.write(`profile: ${JSON.stringify(report.profile)}\n`);
}

// How the final playlists move with C, against C = 500, on a sample of users.
const qUsers = Math.min(users, qualityUsers);
if (qUsers > 0) {
  const ref = playlists(500, qUsers);
  const rows: Record<string, unknown>[] = [];
  for (const width of [100, 150, 200, 300, 500]) {
    const got = width === 500 ? ref : playlists(width, qUsers);
    let overlap = 0;
    let scoreRatio = 0;
    let popRatio = 0;
    let discoveries = 0;
    for (let u = 0; u < qUsers; u++) {
      const a = new Set(ref.items.subarray(u * ref.size, u * ref.size + ref.count[u]));
      let hit = 0;
      let sA = 0;
      let sB = 0;
      let pA = 0;
      let pB = 0;
      for (let j = 0; j < got.count[u]; j++) {
        const it = got.items[u * got.size + j];
        if (a.has(it)) hit++;
        sB += got.scores[u * got.size + j];
        pB += features.popularity[it];
        if (got.reason[u * got.size + j] === 2) discoveries++;
      }
      for (let j = 0; j < ref.count[u]; j++) (sA += ref.scores[u * ref.size + j]), (pA += features.popularity[ref.items[u * ref.size + j]]);
      overlap += hit / Math.max(1, ref.count[u]);
      scoreRatio += sB / sA;
      popRatio += pB / Math.max(1e-9, pA);
    }
    rows.push({ C: width, overlapWithC500: +(overlap / qUsers).toFixed(4), meanScoreVsC500: +(scoreRatio / qUsers).toFixed(4), meanPopularityVsC500: +(popRatio / qUsers).toFixed(4), discoveriesPerList: +(discoveries / qUsers).toFixed(2) });
  }
  report.quality = { users: qUsers, rows };
  process.stderr.write(`quality: ${JSON.stringify(rows)}\n`);
}

function playlists(width: number, n: number): ShardResult {
  const runner = new ShardRunner(cpuClock);
  const u = new Int32Array(n);
  for (let i = 0; i < n; i++) u[i] = i;
  return runner.run(tables, settings(width), u);
}

if (!flags.on('skip-job')) {
  let last = 0;
  const cpu0 = process.cpuUsage();
  const summary = await runWeeklyJob({
    tables,
    settings: settings(C),
    userIds,
    names,
    week: '2026-W48',
    out: flags.text('out'),
    encode,
    threads,
    shardSize,
    onProgress: (done, total) => {
      if (done - last >= total / 10 || done === total) {
        last = done;
        process.stderr.write(`${done}/${total} users\n`);
      }
    },
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  Object.assign(report, {
    jobSeconds: summary.seconds,
    usersPerSecond: summary.usersPerSecond,
    processCpuSeconds: cpuSeconds,
    usersPerCpuSecond: users / cpuSeconds,
    projectedSecondsFor1MUsers: 1_000_000 / summary.usersPerSecond,
    projectedSecondsFor1MUsersOnIdleCores: 1_000_000 / ((users / cpuSeconds) * Math.min(threads, 2)),
    meetsTenMinutesAt1M: 1_000_000 / summary.usersPerSecond <= 600,
    workerWallSecondsPerPhase: summary.phaseSeconds,
    short: summary.short,
    exposure: summary.exposure,
  });
}
report.peakRssMb = Math.round(peakRssMb());
report.loadAverage = (await import('node:os')).loadavg().map((x) => +x.toFixed(2));
process.stdout.write(JSON.stringify(report, null, 2) + '\n');

/** Unit content vectors that agree with the factors in part: a fixed random projection plus as much noise. */
function contentVectors(itemFactors: Float32Array, factors: number, dim: number): Float32Array {
  const n = itemFactors.length / factors;
  let state = 12345;
  const rand = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) | 0) >>> 0) / 2 ** 32 - 0.5;
  const proj = Float32Array.from({ length: factors * dim }, rand);
  const out = shared(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      let v = 0;
      for (let f = 0; f < factors; f++) v += itemFactors[i * factors + f] * proj[f * dim + j];
      v += rand();
      out[i * dim + j] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < dim; j++) out[i * dim + j] *= inv;
  }
  return out;
}
