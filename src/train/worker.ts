/**
 * Piscina worker: runs one native kernel call (or one part of a set-up pass: the transpose's count
 * and placing, the confidences, the factors' initial values) on shared memory. The task carries
 * typed-array views over SharedArrayBuffers, so nothing large is copied; each writes in place.
 */
import { countColumns, transposePart, type TransposeJob } from '../data/csr-transpose.js';
import { alsHalfStep, implicitLoss, type AlsHalfStepArgs, type LossArgs } from '../native/index.js';
import { injectFault } from '../util/test-fault.js';
import { confidenceRange, type ConfidenceParams } from './confidence.js';
import { fillRandom } from './init.js';

export interface ShardRef {
  side: 'user' | 'item';
  shard: number;
  iteration: number;
  /** 0 for the first try, 1 for the retry. */
  attempt: number;
}

/** A set-up pass over entries [begin, end) of a shared array. */
interface RangeRef {
  begin: number;
  end: number;
}

export type WorkerTask =
  | ({ op: 'halfStep'; args: AlsHalfStepArgs } & ShardRef)
  | { op: 'loss'; args: LossArgs }
  | { op: 'transposePart'; job: TransposeJob; part: number }
  | ({ op: 'countColumns'; indices: Int32Array; cols: number; counts: Int32Array } & RangeRef)
  | ({ op: 'confidence'; weight: Float32Array; out: Float32Array; params: ConfidenceParams } & RangeRef)
  | ({ op: 'fillRandom'; out: Float32Array; seed: number } & RangeRef);

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
    case 'countColumns':
      countColumns(task.indices, task.cols, task.counts, task.begin, task.end);
      return null;
    case 'confidence':
      confidenceRange(task.weight, task.params, task.out, task.begin, task.end);
      return null;
    case 'fillRandom':
      fillRandom(task.out, task.seed, undefined, task.begin, task.end);
      return null;
    default:
      throw new Error(`unknown worker task ${(task as { op: string }).op}`);
  }
}
