/**
 * The trainer's item-major copy: the user-major matrix transposed with its preference and
 * confidence into shared memory, cut into one part per thread and run on the training pool. On
 * one thread it was most of the set-up before the first sweep (9–11 s at 100 M entries in
 * bench/transpose.ts).
 */
import type { Piscina } from 'piscina';
import type { CsrMatrix } from '../data/csr.js';
import { planTranspose } from '../data/csr-transpose.js';
import { evenRanges } from './ranges.js';
import { settleAll } from '../util/settle-all.js';
import { sharedArray } from '../util/shared-memory.js';
import type { WorkerTask } from './worker.js';

/**
 * `m` must be in shared memory (the workers write its transpose in place, and read it there). The
 * entries are counted by column on the pool too, a range of entries per thread: on the caller's
 * thread that count was the longest stall left in the set-up (bench/train-setup.ts).
 */
export async function transposeOnPool(pool: Piscina, m: CsrMatrix, threads: number): Promise<CsrMatrix> {
  const ranges = evenRanges(m.indices.length, threads);
  const columnCounts = ranges.map(() => sharedArray(Int32Array, m.cols + 1));
  await settleAll(ranges.map(([begin, end], i) => pool.run({ op: 'countColumns', indices: m.indices, cols: m.cols, counts: columnCounts[i], begin, end } satisfies WorkerTask)));
  const job = planTranspose(m, { make: sharedArray, scratch: sharedArray, parts: threads, columnCounts });
  const parts = Array.from({ length: threads }, (_, part) => pool.run({ op: 'transposePart', job, part } satisfies WorkerTask));
  await settleAll(parts);
  return job.output;
}
