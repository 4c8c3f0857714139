/**
 * Piscina worker: runs one native kernel call on shared memory. The task carries typed-array
 * views over SharedArrayBuffers, so nothing large is copied; the kernel writes its rows in place.
 */
import { alsHalfStep, implicitLoss, type AlsHalfStepArgs, type LossArgs } from '../native/index.js';

export type WorkerTask = { op: 'halfStep'; args: AlsHalfStepArgs } | { op: 'loss'; args: LossArgs };

export default function run(task: WorkerTask): unknown {
  switch (task.op) {
    case 'halfStep':
      alsHalfStep(task.args);
      return null;
    case 'loss':
      return implicitLoss(task.args);
    default:
      throw new Error(`unknown worker task ${(task as { op: string }).op}`);
  }
}
