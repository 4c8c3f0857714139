import type { Dictionary } from '../data/dictionary.js';
import type { ContentModel } from '../content/content-model.js';
import type { ConfidenceMode, IterationInfo, Solver } from '../types.js';

/** Hyper-parameters a model was trained with; stored in its manifest. */
export interface ModelParams {
  factors: number;
  iterations: number;
  regularization: number;
  alpha: number;
  confidence: ConfidenceMode;
  epsilon: number;
  solver: Solver;
  cgSteps: number;
  seed: number;
}

/** Everything a trained model is made of; immutable once built. */
export interface ModelData {
  readonly params: ModelParams;
  readonly users: Dictionary;
  readonly items: Dictionary;
  /** users × factors, row-major */
  readonly userFactors: Float32Array;
  /** items × factors, row-major */
  readonly itemFactors: Float32Array;
  /** The training interactions (users × items CSR): what each user has heard. */
  readonly seen: { indptr: Int32Array; indices: Int32Array; pref: Float32Array; weight: Float32Array };
  /** Loss and time per training iteration. */
  readonly history: readonly IterationInfo[];
  /** Content model fitted on a catalog (cold-track factors, content similarity), when trained with one. */
  readonly content?: ContentModel;
  /** Set when the user ids are pseudonym tokens (--pseudonymize): the key's check value (pseudonymKeyCheck). */
  readonly pseudonyms?: { readonly keyCheck: string };
}
