/**
 * Z-score standardisation of numeric features: z = (x − mean) / std with the population standard
 * deviation (divide by n). A constant column has std 0 and standardises to 0 everywhere.
 */
export interface Standardizer {
  readonly names: readonly string[];
  readonly mean: Float64Array;
  /** 1 / std, or 0 for a constant column. */
  readonly invStd: Float64Array;
}

/** Mean and 1/std of each column of a rows × cols matrix. */
export function fitStandardizer(x: Float32Array, cols: number, names: readonly string[]): Standardizer {
  if (names.length !== cols) throw new RangeError(`fitStandardizer: ${names.length} names for ${cols} columns`);
  if (cols === 0) return { names, mean: new Float64Array(0), invStd: new Float64Array(0) };
  if (x.length % cols !== 0) throw new RangeError(`fitStandardizer: matrix length ${x.length} is not a multiple of ${cols} columns`);
  const rows = x.length / cols;
  const mean = new Float64Array(cols);
  const invStd = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] = rows > 0 ? mean[c] / rows : 0;
  // Second pass over centred values: no cancellation for large-magnitude columns like duration_ms.
  const ss = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = x[r * cols + c] - mean[c];
      ss[c] += d * d;
    }
  }
  for (let c = 0; c < cols; c++) {
    const std = rows > 0 ? Math.sqrt(ss[c] / rows) : 0;
    invStd[c] = std > 1e-12 * Math.max(1, Math.abs(mean[c])) ? 1 / std : 0;
  }
  return { names, mean, invStd };
}

/** Standardised copy of a rows × cols matrix. */
export function standardize(s: Standardizer, x: Float32Array): Float32Array {
  const cols = s.mean.length;
  const out = new Float32Array(x.length);
  if (cols === 0) return out;
  for (let p = 0; p < x.length; p++) {
    const c = p % cols;
    out[p] = (x[p] - s.mean[c]) * s.invStd[c];
  }
  return out;
}
