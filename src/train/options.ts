import { z } from 'zod';
import type { TrainOptions } from '../types.js';
import { defaultThreads } from '../util/worker-pool.js';

/** Training options with every default filled in; validated once, then read-only. */
export type ResolvedTrainOptions = Required<Omit<TrainOptions, 'onIteration'>> & Pick<TrainOptions, 'onIteration'>;

/**
 * What a model is trained with, each value's bounds: a model's manifest holds exactly these
 * (model/format.ts checks a loaded one against them).
 */
export const modelParamsSchema = z.object({
  factors: z.number().int().min(1).max(4096),
  iterations: z.number().int().min(0).max(10_000),
  // ≥ 0 here so models saved before training required more still load.
  regularization: z.number().finite().min(0),
  alpha: z.number().finite().min(0),
  confidence: z.enum(['linear', 'log']),
  epsilon: z.number().finite().positive(),
  solver: z.enum(['cg', 'cholesky']),
  cgSteps: z.number().int().min(1).max(1000),
  seed: z.number().int().min(0).max(0xffffffff),
});
const p = modelParamsSchema.shape;

const schema = z.object({
  factors: p.factors.default(64),
  iterations: p.iterations.default(15),
  // Above 0: with none, a user with fewer tracks than factors has no unique solve, and fold-in's
  // one-row Cholesky solve fails on such systems.
  regularization: p.regularization.positive().default(0.01),
  // Log confidence at α 2 (the demo's recipe): raw play counts are heavy-tailed (HetRec's reach
  // 352,698), and 1 + w lets a few huge counts drown the rest; on weighed events it scores as linear did.
  alpha: p.alpha.default(2),
  confidence: p.confidence.default('log'),
  epsilon: p.epsilon.default(1),
  solver: p.solver.default('cg'),
  cgSteps: p.cgSteps.default(3),
  threads: z.number().int().min(1).max(1024).optional(),
  seed: p.seed.default(42),
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
