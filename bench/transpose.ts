/**
 * Speed of the trainer's CSR transpose (the item-major copy made before the first sweep): the
 * blocked transposeCsr against the one-pass counting sort the engine used before
 * (test/reference/order.ts), both into shared arrays as the trainer makes them, alternating in one
 * run so the ratio holds on a noisy machine. The matrix is a seeded synthetic log's users × tracks
 * with two value channels (preference and confidence).
 *
 *   tsx bench/transpose.ts [--events 30000000] [--users 1000000] [--tracks 300000] [--runs 3] [--seed 7]
 *
 * prints JSON: the matrix's shape, per method the median seconds (and min, max), `speedup`
 * (one-pass / blocked) and `same` (the two results are equal).
 */
import os from 'node:os';
import { buildCsr, type CsrMatrix } from '../src/data/csr.js';
import { transposeCsr } from '../src/data/csr-transpose.js';
import { summarizeMs } from '../src/bench/stats.js';
import { sharedArray } from '../src/util/shared-memory.js';
import { onePassTranspose } from '../test/reference/order.js';
import { bytesOf } from '../test/reference/shared.js';
import { BenchFlags } from './args.js';
import { syntheticLog } from './synthetic-log.js';

const flags = BenchFlags.parse({ events: 'value', users: 'value', tracks: 'value', runs: 'value', seed: 'value' });
const events = flags.int('events', 30_000_000);
const users = flags.int('users', 1_000_000);
const tracks = flags.int('tracks', 300_000);
const runs = flags.int('runs', 3);
const seed = flags.int('seed', 7, 0);

function timed(f: () => CsrMatrix): { seconds: number; out: CsrMatrix } {
  const t0 = performance.now();
  const out = f();
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
const matrix: CsrMatrix = { ...summed, values: [pref, summed.values[0]] };

const blocked: number[] = [];
const onePass: number[] = [];
let same = true;
for (let run = 0; run < runs; run++) {
  const b = timed(() => transposeCsr(matrix, sharedArray));
  blocked.push(b.seconds);
  const o = timed(() => onePassTranspose(matrix, sharedArray));
  onePass.push(o.seconds);
  same &&= equal(b.out, o.out);
}
const sBlocked = summarizeMs(blocked);
const sOnePass = summarizeMs(onePass);
const result = {
  events,
  rows: matrix.rows,
  cols: matrix.cols,
  entries: matrix.indices.length,
  runs,
  load_average: os.loadavg().map((v) => Math.round(v * 100) / 100),
  blocked: sBlocked,
  one_pass: sOnePass,
  speedup: Math.round((sOnePass.median / sBlocked.median) * 100) / 100,
  same,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
