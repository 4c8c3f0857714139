/**
 * Folding a user in: the one-row ALS solve with the item factors fixed. Gives factors for a user
 * the model has not seen, or fresh factors after new feedback, without retraining.
 */
import { alsHalfStep, alsHalfStepAsync, type AlsHalfStepArgs } from '../native/index.js';
import { confidenceFromWeights } from '../train/confidence.js';
import type { ModelParams } from '../model/model-data.js';

export interface FoldInEntry {
  item: number;
  weight: number;
  /** 1 = positive evidence (default), 0 = negative evidence. */
  pref?: number;
}

/** One user's evidence as a sorted row: items, preference (net sign) and |net weight|. */
export interface EvidenceRow {
  indices: Int32Array;
  pref: Float32Array;
  weight: Float32Array;
}

/**
 * Merge (item, weight, pref) entries into one row: signed weights summed per item (positive minus
 * negative evidence, as the signals stage nets them), items sorted ascending as the kernels require.
 */
export function mergeEvidence(entries: readonly FoldInEntry[], items: number): EvidenceRow {
  const merged = new Map<number, number>();
  for (const e of entries) {
    if (!Number.isInteger(e.item) || e.item < 0 || e.item >= items) throw new RangeError(`foldIn: item index ${e.item} out of range [0, ${items})`);
    if (!Number.isFinite(e.weight) || e.weight < 0) throw new RangeError(`foldIn: weight ${e.weight} of item ${e.item} must be finite and ≥ 0`);
    merged.set(e.item, (merged.get(e.item) ?? 0) + ((e.pref ?? 1) > 0 ? e.weight : -e.weight));
  }
  const indices = Int32Array.from(merged.keys()).sort();
  const pref = new Float32Array(indices.length);
  const weight = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const w = merged.get(indices[i])!;
    pref[i] = w > 0 ? 1 : 0;
    weight[i] = Math.abs(w);
  }
  return { indices, pref, weight };
}

/** The one-row problem as kernel arguments; the solution is written into `X`. */
export function foldInProblem(entries: readonly FoldInEntry[], itemFactors: Float32Array, itemGram: Float32Array, params: ModelParams): AlsHalfStepArgs {
  const k = params.factors;
  const { indices, pref, weight } = mergeEvidence(entries, itemFactors.length / k);
  const conf = confidenceFromWeights(weight, params.alpha, params.confidence, params.epsilon);
  return {
    indptr: Int32Array.of(0, indices.length),
    indices,
    pref,
    conf,
    X: new Float32Array(k),
    Y: itemFactors,
    YtY: itemGram,
    factors: k,
    regularization: params.regularization,
    rowBegin: 0,
    rowEnd: 1,
    solver: 'cholesky',
    cgSteps: params.cgSteps,
  };
}

/** Solve on the calling thread (workers, hot loops): about k³/3 flops plus O(entries·k²). */
export function foldInVector(entries: readonly FoldInEntry[], itemFactors: Float32Array, itemGram: Float32Array, params: ModelParams): Float32Array {
  const problem = foldInProblem(entries, itemFactors, itemGram, params);
  alsHalfStep(problem);
  return problem.X;
}

/** Solve on the libuv thread pool, keeping the JS thread free. */
export async function foldInVectorAsync(entries: readonly FoldInEntry[], itemFactors: Float32Array, itemGram: Float32Array, params: ModelParams): Promise<Float32Array> {
  const problem = foldInProblem(entries, itemFactors, itemGram, params);
  await alsHalfStepAsync(problem);
  return problem.X;
}
