/**
 * Speed of the trainer's CSR transpose (the item-major copy made before the first sweep): the
 * blocked transposeCsr on one thread, the same cut into one part per thread on the training pool
 * (as the trainer runs it), and the one-pass counting sort the engine used before
 * (test/reference/order.ts), all into shared arrays as the trainer makes them, alternating in one
 * run so the ratios hold on a noisy machine. The matrix is a seeded synthetic log's users × tracks
 * with two value channels (preference and confidence).
 *
 *   tsx bench/transpose.ts [--events 30000000] [--users 1000000] [--tracks 300000] [--threads 2] [--runs 3] [--seed 7]
 *
 * prints JSON: the matrix's shape, per method the median seconds (and min, max), `speedup`
 * (one-pass / blocked), `speedup_threads` (blocked / parts on the pool) and `same` (all results
 * are equal).
 */
import os from 'node:os';
import { buildCsr, type CsrMatrix } from '../src/data/csr.js';
import { transposeCsr } from '../src/data/csr-transpose.js';
import { createTrainPool } from '../src/train/pool.js';
import { transposeOnPool } from '../src/train/transpose.js';
import { summarizeMs } from '../src/bench/stats.js';
import { sharedArray, toShared } from '../src/util/shared-memory.js';
import { onePassTranspose } from '../test/reference/order.js';
import { bytesOf } from '../test/reference/shared.js';
import { BenchFlags } from './args.js';
import { syntheticLog } from './synthetic-log.js';

const flags = BenchFlags.parse({ events: 'value', users: 'value', tracks: 'value', threads: 'value', runs: 'value', seed: 'value' });
const events = flags.int('events', 30_000_000);
const users = flags.int('users', 1_000_000);
const tracks = flags.int('tracks', 300_000);
const threads = flags.int('threads', 2);
const runs = flags.int('runs', 3);
const seed = flags.int('seed', 7, 0);

async function timed(f: () => CsrMatrix | Promise<CsrMatrix>): Promise<{ seconds: number; out: CsrMatrix }> {
  const t0 = performance.now();
  const out = await f();
  return { seconds: (performance.now() - t0) / 1000, out };
}

function equal(a: CsrMatrix, b: CsrMatrix): boolean {
  const arrays = (m: CsrMatrix): (Int32Array | Float32Array)[] => [m.indptr, m.indices, ...m.values];
  const [x, y] = [arrays(a), arrays(b)];
  return x.length === y.length && x.every((v, i) => bytesOf(v).equals(bytesOf(y[i])));
}

const log = syntheticLog(events, seed, { users, tracks });
const weight = Float32Array.from({ length: events }, (_, i) => 1 + (i % 7));
const summed = buildCsr(users, tracks, log.user, log.track, [weight]);
const pref = Float32Array.from(summed.values[0], (w) => (w > 3 ? 1 : 0));
// In shared memory, as the trainer hands it to the pool.
const matrix: CsrMatrix = { ...summed, indptr: toShared(summed.indptr), indices: toShared(summed.indices), values: [toShared(pref), toShared(summed.values[0])] };

const pool = createTrainPool(threads);
const blocked: number[] = [];
const parallel: number[] = [];
const onePass: number[] = [];
let same = true;
try {
  for (let run = 0; run < runs; run++) {
    const b = await timed(() => transposeCsr(matrix, sharedArray));
    blocked.push(b.seconds);
    const p = await timed(() => transposeOnPool(pool, matrix, threads));
    parallel.push(p.seconds);
    const o = await timed(() => onePassTranspose(matrix, sharedArray));
    onePass.push(o.seconds);
    same &&= equal(b.out, o.out) && equal(p.out, o.out);
  }
} finally {
  await pool.destroy();
}
const sBlocked = summarizeMs(blocked);
const sParallel = summarizeMs(parallel);
const sOnePass = summarizeMs(onePass);
const result = {
  events,
  rows: matrix.rows,
  cols: matrix.cols,
  entries: matrix.indices.length,
  threads,
  runs,
  load_average: os.loadavg().map((v) => Math.round(v * 100) / 100),
  blocked: sBlocked,
  parallel: sParallel,
  one_pass: sOnePass,
  speedup: Math.round((sOnePass.median / sBlocked.median) * 100) / 100,
  speedup_threads: Math.round((sBlocked.median / sParallel.median) * 100) / 100,
  same,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
