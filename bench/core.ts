/**
 * The core benchmark: seconds per ALS iteration (median of 5 after a warm-up) for k = 64 and 128
 * at 1 and 2 threads, and seconds to recommend top-50 for every user with heard items excluded,
 * on a seeded 100,000 × 50,000 matrix with about 5 M nonzeros. Prints JSON.
 *
 *   npm run bench                       full run
 *   npm run bench -- --dump FILE        only write the matrix as counts CSV and exit
 *   npm run bench -- --scale 0.1        a smaller matrix (users, items and nonzeros scaled)
 */
import { parseArgs } from 'node:util';
import { syntheticMatrix } from '../src/bench/synthetic-matrix.js';
import { dumpCounts } from '../src/bench/dump.js';
import { summarize } from '../src/bench/stats.js';
import { trainAls } from '../src/train/als.js';
import { resolveTrainOptions } from '../src/train/options.js';
import { train } from '../src/train/train.js';
import { nativeInfo } from '../src/native/index.js';

const { values } = parseArgs({ options: { dump: { type: 'string' }, scale: { type: 'string', default: '1' }, runs: { type: 'string', default: '5' } } });
const scale = Number(values.scale);
const runs = Number(values.runs);
const shape = { users: Math.round(100_000 * scale), items: Math.round(50_000 * scale), nnz: Math.round(5_200_000 * scale), seed: 1 };
const t0 = performance.now();
const matrix = syntheticMatrix(shape);
const buildSeconds = (performance.now() - t0) / 1000;

if (values.dump) {
  await dumpCounts(matrix, values.dump);
  process.stderr.write(`wrote ${matrix.indices.length} nonzeros to ${values.dump}\n`);
  process.exit(0);
}

const als: Record<string, unknown>[] = [];
for (const factors of [64, 128]) {
  for (const threads of [1, 2]) {
    const opts = resolveTrainOptions({ factors, threads, iterations: runs + 1, regularization: 0.01, alpha: 1, computeLoss: false });
    const r = await trainAls(matrix, opts);
    const times = r.iterations.slice(1).map((i) => i.seconds);
    als.push({ solver: 'cg', factors, threads, seconds_per_iteration: summarize(times) });
    process.stderr.write(`als cg k=${factors} threads=${threads}: ${summarize(times).median.toFixed(3)} s/iteration\n`);
  }
}

const model = await train(matrix, { factors: 64, iterations: 3, threads: 2 });
const recTimes: number[] = [];
for (let run = 0; run < Math.max(1, Math.min(runs, 3)); run++) {
  const s = performance.now();
  // Two blocks in flight at a time: one per core, on the native async path.
  const m = matrix.users.size;
  const block = 4096;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < m) {
      const start = next;
      next = Math.min(m, start + block);
      await model.scoreBlock(undefined, start, next, 50);
    }
  };
  await Promise.all([lane(), lane()]);
  recTimes.push((performance.now() - s) / 1000);
}
process.stderr.write(`top-50 for all ${matrix.users.size} users: ${summarize(recTimes).median.toFixed(3)} s\n`);

console.log(
  JSON.stringify(
    {
      matrix: { users: matrix.users.size, items: matrix.items.size, nnz: matrix.indices.length, build_seconds: buildSeconds },
      native: nativeInfo(),
      als,
      recommend_all_top50: { factors: 64, threads: 2, seconds: summarize(recTimes) },
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      node: process.version,
    },
    null,
    2,
  ),
);
