import { Dictionary } from '../data/dictionary.js';
import { Model } from '../model/model.js';
import type { ModelParams } from '../model/model-data.js';
import type { Interactions, TrainHooks, TrainOptions } from '../types.js';
import { trainAls } from './als.js';
import { resolveTrainOptions, type ResolvedTrainOptions } from './options.js';
import { toSharedInTurns } from '../util/shared-memory.js';

/** Train an implicit-ALS model on interactions. */
export async function train(interactions: Interactions, options: TrainOptions = {}, hooks: TrainHooks = {}): Promise<Model> {
  const opts = resolveTrainOptions(options);
  validateInteractions(interactions);
  // One shared copy of the matrix serves the trainer's workers and then the model: each made its
  // own before (three arrays for the trainer, all four for the model: 2.8 GB at 100 M entries).
  // It is made a slice per event-loop turn, so a service's thread is not held for seconds.
  const { indptr, indices, pref, weight } = interactions;
  const seen = { indptr: await toSharedInTurns(indptr), indices: await toSharedInTurns(indices), pref: await toSharedInTurns(pref), weight: await toSharedInTurns(weight) };
  const result = await trainAls({ ...interactions, ...seen }, opts, hooks);
  return new Model({
    params: modelParams(opts),
    users: Dictionary.copyOf(interactions.users),
    items: Dictionary.copyOf(interactions.items),
    userFactors: result.userFactors,
    itemFactors: result.itemFactors,
    seen,
    history: result.iterations,
  });
}

export function modelParams(o: ResolvedTrainOptions): ModelParams {
  return {
    factors: o.factors,
    iterations: o.iterations,
    regularization: o.regularization,
    alpha: o.alpha,
    confidence: o.confidence,
    epsilon: o.epsilon,
    solver: o.solver,
    cgSteps: o.cgSteps,
    seed: o.seed,
  };
}

/** Cheap structural checks so a malformed matrix fails here with a clear message. */
export function validateInteractions(m: Interactions): void {
  const rows = m.users.size;
  if (m.indptr.length !== rows + 1) throw new RangeError(`interactions: indptr has length ${m.indptr.length}, expected users + 1 = ${rows + 1}`);
  const nnz = m.indices.length;
  if (m.indptr[0] !== 0 || m.indptr[rows] !== nnz) throw new RangeError(`interactions: indptr must start at 0 and end at nnz = ${nnz}`);
  if (m.pref.length !== nnz || m.weight.length !== nnz) throw new RangeError(`interactions: pref/weight must have nnz = ${nnz} entries`);
}
