import type { ConfidenceMode } from '../types.js';

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
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`alpha must be a finite number ≥ 0, got ${alpha}`);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(`epsilon must be a finite number > 0, got ${epsilon}`);
  const n = weight.length;
  if (mode === 'log') {
    for (let i = 0; i < n; i++) out[i] = 1 + alpha * Math.log1p(weight[i] / epsilon);
  } else {
    for (let i = 0; i < n; i++) out[i] = 1 + alpha * weight[i];
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i])) {
      throw new RangeError(`confidence of entry ${i} is not finite (weight ${weight[i]}, alpha ${alpha}); lower alpha or use --confidence log`);
    }
  }
  return out;
}
