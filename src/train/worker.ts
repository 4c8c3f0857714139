/**
 * Piscina worker: runs one native kernel call (or one part of the set-up's transpose) on shared memory. The task carries typed-array
 * views over SharedArrayBuffers, so nothing large is copied; the kernel writes its rows in place.
 */
import { transposePart, type TransposeJob } from '../data/csr-transpose.js';
import { alsHalfStep, implicitLoss, type AlsHalfStepArgs, type LossArgs } from '../native/index.js';
import { injectFault } from '../util/test-fault.js';

export interface ShardRef {
  side: 'user' | 'item';
  shard: number;
  iteration: number;
  /** 0 for the first try, 1 for the retry. */
  attempt: number;
}

export type WorkerTask = ({ op: 'halfStep'; args: AlsHalfStepArgs } & ShardRef) | { op: 'loss'; args: LossArgs } | { op: 'transposePart'; job: TransposeJob; part: number };

export default function run(task: WorkerTask): unknown {
  switch (task.op) {
    case 'halfStep':
      // Before the kernel touches memory, so a failed try leaves its rows as they were.
      injectFault('train', task, `${task.side} shard ${task.shard}`);
      alsHalfStep(task.args);
      return null;
    case 'loss':
      return implicitLoss(task.args);
    case 'transposePart':
      transposePart(task.job, task.part);
      return null;
    default:
      throw new Error(`unknown worker task ${(task as { op: string }).op}`);
  }
}
