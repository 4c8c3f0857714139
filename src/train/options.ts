import { z } from 'zod';
import type { TrainOptions } from '../types.js';
import { defaultThreads } from '../util/worker-pool.js';

/** Training options with every default filled in; validated once, then read-only. */
export type ResolvedTrainOptions = Required<Omit<TrainOptions, 'onIteration'>> & Pick<TrainOptions, 'onIteration'>;

const schema = z.object({
  factors: z.number().int().min(1).max(4096).default(64),
  iterations: z.number().int().min(0).max(10_000).default(15),
  regularization: z.number().finite().min(0).default(0.01),
  // Log confidence at α 2 (the demo's recipe): raw play counts are heavy-tailed (HetRec's reach
  // 352,698), and 1 + w lets a few huge counts drown the rest; on weighed events it scores as linear did.
  alpha: z.number().finite().min(0).default(2),
  confidence: z.enum(['linear', 'log']).default('log'),
  epsilon: z.number().finite().positive().default(1),
  solver: z.enum(['cg', 'cholesky']).default('cg'),
  cgSteps: z.number().int().min(1).max(1000).default(3),
  threads: z.number().int().min(1).max(1024).optional(),
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  computeLoss: z.boolean().optional(),
});

export function resolveTrainOptions(opts: TrainOptions = {}): ResolvedTrainOptions {
  const { onIteration, ...rest } = opts;
  const parsed = schema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`train option '${issue.path.join('.')}': ${issue.message}`);
  }
  const o = parsed.data;
  return {
    ...o,
    threads: o.threads ?? defaultThreads(),
    computeLoss: o.computeLoss ?? onIteration !== undefined,
    onIteration,
  };
}
