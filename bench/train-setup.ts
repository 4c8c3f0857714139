/**
 * The trainer's set-up at scale, which a caller pays before the first sweep: train() with zero
 * iterations on a seeded synthetic matrix handed over in ordinary memory, as the signals stage and
 * countsToInteractions hand theirs (so the shared copies are made, as in a real run). It covers
 * the pool's start, the shared copies, the confidences, the item-major transpose, the factors'
 * initial values and the model's construction. The caller's event loop is probed meanwhile: its
 * longest stall is what a service that trains in-process feels.
 *
 *   tsx bench/train-setup.ts [--nnz 30000000] [--users 1000000] [--items 300000] [--factors 64] [--threads 2] [--runs 3] [--seed 3]
 *
 * prints JSON: the shape, the median seconds (and min, max, and every run's), the median longest
 * stall in ms (and min, max), whether the initial factors are the bits of a one-thread fill
 * (`same_initial_factors`), the same for the counts → interactions conversion of the same entries
 * as triplets on the caller's thread and off it (`counts_to_interactions`, `…_async`), and the
 * process's peak RSS.
 */
import os from 'node:os';
import { withLoopStall } from '../src/bench/loop-stall.js';
import { summarizeMs } from '../src/bench/stats.js';
import { syntheticMatrix } from '../src/bench/synthetic-matrix.js';
import { fillRandom } from '../src/train/init.js';
import { train } from '../src/train/train.js';
import { countsToInteractions } from '../src/data/interactions.js';
import { countsToInteractionsAsync } from '../src/data/interactions-off-thread.js';
import { peakRssMb } from '../src/util/peak-rss.js';
import { BenchFlags, valueFlags } from './args.js';

const flags = BenchFlags.parse(valueFlags('nnz', 'users', 'items', 'factors', 'threads', 'runs', 'seed'));
const nnz = flags.int('nnz', 30_000_000);
const users = flags.int('users', 1_000_000);
const items = flags.int('items', 300_000);
const factors = flags.int('factors', 64);
const threads = flags.int('threads', 2);
const runs = flags.int('runs', 3);
const seed = flags.int('seed', 3, 0);

const shared = syntheticMatrix({ users, items, nnz, seed });
// Ordinary memory, as the signals stage hands its matrix over (slice copies into a plain buffer).
const matrix = { ...shared, indptr: shared.indptr.slice(), indices: shared.indices.slice(), pref: shared.pref.slice(), weight: shared.weight.slice() };

// The same entries as triplets (as readCounts gives them), for the counts conversion before train().
const tripletUser = new Int32Array(matrix.indices.length);
for (let u = 0; u < users; u++) tripletUser.fill(u, matrix.indptr[u], matrix.indptr[u + 1]);
const counts = { users: matrix.users, items: matrix.items, user: tripletUser, item: matrix.indices, weight: matrix.weight };
const convert = { sync: [] as number[], async: [] as number[], stallSync: [] as number[], stallAsync: [] as number[] };

const seconds: number[] = [];
const stalls: number[] = [];
let same = true;
for (let run = 0; run < runs; run++) {
  const c1 = await withLoopStall(async () => countsToInteractions(counts));
  convert.sync.push(c1.seconds);
  convert.stallSync.push(c1.longestStallMs / 1000);
  const c2 = await withLoopStall(() => countsToInteractionsAsync(counts));
  convert.async.push(c2.seconds);
  convert.stallAsync.push(c2.longestStallMs / 1000);
  const r = await withLoopStall(() => train(matrix, { factors, iterations: 0, threads, seed }));
  seconds.push(r.seconds);
  stalls.push(r.longestStallMs / 1000);
  // The set-up's parts must give the one-thread fill's bits (checked once: it takes a while).
  if (run === 0) {
    const { userFactors, itemFactors } = r.result.data;
    const bits = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    same =
      bits(userFactors).equals(bits(fillRandom(new Float32Array(users * factors), seed))) &&
      bits(itemFactors).equals(bits(fillRandom(new Float32Array(items * factors), (seed ^ 0x5bd1e995) >>> 0)));
  }
}
const stall = summarizeMs(stalls);
const ms = (t: { median: number; min: number; max: number }): { median: number; min: number; max: number } => ({ median: Math.round(t.median * 1000), min: Math.round(t.min * 1000), max: Math.round(t.max * 1000) });
const result = {
  users,
  items,
  entries: matrix.indices.length,
  factors,
  threads,
  runs,
  load_average: os.loadavg().map((v) => Math.round(v * 100) / 100),
  seconds: summarizeMs(seconds),
  all_seconds: seconds.map((s) => Math.round(s * 1000) / 1000),
  longest_stall_ms: ms(stall),
  same_initial_factors: same,
  // The counts → interactions conversion of the same entries, on the caller's thread and off it.
  counts_to_interactions: { seconds: summarizeMs(convert.sync), longest_stall_ms: ms(summarizeMs(convert.stallSync)) },
  counts_to_interactions_async: { seconds: summarizeMs(convert.async), longest_stall_ms: ms(summarizeMs(convert.stallAsync)) },
  peak_rss_mb: peakRssMb(),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
