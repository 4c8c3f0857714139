/**
 * The trainer's item-major copy: the user-major matrix transposed with its preference and
 * confidence into shared memory, cut into one part per thread and run on the training pool. On
 * one thread it was most of the set-up before the first sweep (9–11 s at 100 M entries in
 * bench/transpose.ts).
 */
import type { Piscina } from 'piscina';
import type { CsrMatrix } from '../data/csr.js';
import { planTranspose } from '../data/csr-transpose.js';
import { settleAll } from '../util/settle-all.js';
import { sharedArray } from '../util/shared-memory.js';
import type { WorkerTask } from './worker.js';

/** `m` must be in shared memory (the workers write its transpose in place, and read it there). */
export async function transposeOnPool(pool: Piscina, m: CsrMatrix, threads: number): Promise<CsrMatrix> {
  const job = planTranspose(m, { make: sharedArray, scratch: sharedArray, parts: threads });
  const parts = Array.from({ length: threads }, (_, part) => pool.run({ op: 'transposePart', job, part } satisfies WorkerTask));
  await settleAll(parts);
  return job.output;
}
