import type { ConfidenceMode } from '../types.js';
import { checkRange } from '../util/check-range.js';

/** How weights become confidences: the model's alpha, mode and epsilon. */
export interface ConfidenceParams {
  alpha: number;
  mode: ConfidenceMode;
  epsilon: number;
}

/**
 * Confidence c = 1 + α·w (linear) or 1 + α·log(1 + w/ε) (log; Hu et al. 2008 §4), computed into
 * `out`. Negative-evidence entries use the same formula: their weight already carries the raised
 * confidence chosen by the signals stage.
 */
export function confidenceFromWeights(
  weight: Float32Array,
  alpha: number,
  mode: ConfidenceMode,
  epsilon: number,
  out: Float32Array = new Float32Array(weight.length),
): Float32Array {
  return confidenceRange(weight, { alpha, mode, epsilon }, out, 0, weight.length);
}

/**
 * confidenceFromWeights over entries [begin, end) only, so that parts of a large matrix can be
 * computed on several threads (an error names the entry's index in the whole array).
 */
export function confidenceRange(weight: Float32Array, p: ConfidenceParams, out: Float32Array, begin: number, end: number): Float32Array {
  const { alpha, mode, epsilon } = p;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number ≥ 0, got ${alpha}`);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(`epsilon must be a finite number > 0, got ${epsilon}`);
  if (out.length !== weight.length) throw new RangeError(`confidence: ${weight.length} weights but ${out.length} outputs`);
  checkRange('confidence', begin, end, weight.length);
  if (mode === 'log') {
    for (let i = begin; i < end; i++) out[i] = 1 + alpha * Math.log1p(weight[i] / epsilon);
  } else {
    for (let i = begin; i < end; i++) out[i] = 1 + alpha * weight[i];
  }
  for (let i = begin; i < end; i++) {
    const w = weight[i];
    // A negative weight gives a finite confidence below 1 under linear confidence: refused too.
    if (!(w >= 0 && w < Infinity)) throw new RangeError(`weight of entry ${i} must be finite and ≥ 0, got ${w}`);
    if (!Number.isFinite(out[i])) {
      throw new RangeError(`confidence of entry ${i} is not finite (weight ${w}, alpha ${alpha}) under ${mode} confidence; lower alpha or use log confidence (confidence: 'log', --confidence log)`);
    }
  }
  return out;
}
