/**
 * The core benchmark: seconds per ALS iteration (CG, median of 5 after a warm-up) for k = 64 and
 * 128 at 1 and 2 threads, and seconds to recommend top-50 for every user with heard items
 * excluded, on the seeded 100,000 × 50,000 matrix with 5.13 M nonzeros; plus peak RSS, the
 * sgemm reference rate and the environment (with the load average: a busy machine skews every
 * figure). Prints JSON. `mixtape bench` is the fuller suite; this is its quick core.
 *
 *   npm run bench                       full run
 *   npm run bench -- --dump FILE        only write the matrix as counts CSV and exit
 *   npm run bench -- --scale 0.1        a smaller matrix (users, items and nonzeros scaled)
 */
import { cpuSeconds, peakRssMb } from '../src/bench/cpu-clock.js';
import { dumpCounts } from '../src/bench/dump.js';
import { benchEnvironment, loadAverage } from '../src/bench/environment.js';
import { matrixShape } from '../src/bench/scales.js';
import { measureSgemm } from '../src/bench/sgemm-rate.js';
import { summarize } from '../src/bench/stats.js';
import { SYNTHETIC_RECIPE, syntheticMatrix } from '../src/bench/synthetic-matrix.js';
import { scoreTopKAsync } from '../src/native/index.js';
import { trainAls } from '../src/train/als.js';
import { resolveTrainOptions } from '../src/train/options.js';
import { BenchFlags } from './args.js';

const flags = BenchFlags.parse({ dump: 'value', scale: 'value', runs: 'value' });
const scale = flags.number('scale', 1, 'a number > 0', (v) => v > 0);
const runs = flags.int('runs', 5);
const dump = flags.text('dump');
const large = matrixShape('large');
const shape = { users: Math.round(large.users * scale), items: Math.round(large.items * scale), nnz: Math.round(large.nnz * scale), seed: 1 };
const t0 = performance.now();
const matrix = syntheticMatrix(shape);
const buildSeconds = (performance.now() - t0) / 1000;

if (dump) {
  await dumpCounts(matrix, dump);
  process.stderr.write(`wrote ${matrix.indices.length} nonzeros to ${dump}\n`);
  process.exit(0);
}

const environment = benchEnvironment(2);
const sgemm = await measureSgemm(2);
const als: Record<string, unknown>[] = [];
for (const factors of [64, 128]) {
  for (const threads of [1, 2]) {
    const marks: number[] = [];
    const opts = resolveTrainOptions({ ...SYNTHETIC_RECIPE, factors, threads, iterations: runs + 1, computeLoss: false, onIteration: () => marks.push(cpuSeconds()) });
    const c0 = cpuSeconds();
    const r = await trainAls(matrix, opts);
    const times = r.iterations.slice(1).map((i) => i.seconds);
    const cpu = marks.map((c, i) => c - (i === 0 ? c0 : marks[i - 1])).slice(1);
    als.push({ solver: 'cg', factors, threads, seconds_per_iteration: summarize(times), cpu_seconds_per_iteration: summarize(cpu) });
    process.stderr.write(`als cg k=${factors} threads=${threads}: ${summarize(times).median.toFixed(3)} s/iteration\n`);
  }
}

const k = 64;
const trained = await trainAls(matrix, resolveTrainOptions({ ...SYNTHETIC_RECIPE, factors: k, iterations: 3, threads: 2, computeLoss: false }));
const exclude = { indptr: matrix.indptr, indices: matrix.indices };
const recTimes: number[] = [];
for (let run = 0; run < runs + 1; run++) {
  const s = performance.now();
  // Two blocks in flight at a time: one per core, on the native async path.
  const m = matrix.users.size;
  const block = 4096;
  let next = 0;
  const lane = async (): Promise<void> => {
    const outItems = new Int32Array(block * 50);
    const outScores = new Float32Array(block * 50);
    while (next < m) {
      const start = next;
      next = Math.min(m, start + block);
      const len = (next - start) * 50;
      await scoreTopKAsync({ U: trained.userFactors, V: trained.itemFactors, factors: k, userBegin: start, userEnd: next, n: 50, exclude, outItems: outItems.subarray(0, len), outScores: outScores.subarray(0, len) });
    }
  };
  await Promise.all([lane(), lane()]);
  if (run > 0) recTimes.push((performance.now() - s) / 1000);
}
const rec = summarize(recTimes);
const gflops = (2 * shape.users * shape.items * k) / rec.median / 1e9;
process.stderr.write(`top-50 for all ${matrix.users.size} users: ${rec.median.toFixed(3)} s\n`);

console.log(
  JSON.stringify(
    {
      matrix: { users: matrix.users.size, items: matrix.items.size, nnz: matrix.indices.length, build_seconds: buildSeconds },
      environment: { ...environment, load_average_end: loadAverage() },
      sgemm,
      als,
      recommend_all_top50: { factors: k, threads: 2, seconds: rec, gflops: Math.round(gflops * 10) / 10, percent_of_sgemm_per_thread: Math.round((gflops / 2 / sgemm.gflops_one_thread) * 1000) / 10 },
      peak_rss_mb: peakRssMb(),
      node: process.version,
    },
    null,
    2,
  ),
);
