/** Dot products of float32 rows, for the per-candidate loops of re-ranking and the hybrid stage. */

/**
 * x[xa, xa + d) · y[ya, ya + d). Four running sums break the dependency chain of one accumulator
 * (these are the hottest loops of the re-ranker and the hybrid stage).
 */
export function dotRows(x: Float32Array, xa: number, y: Float32Array, ya: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 4 <= d; j += 4) {
    s0 += x[xa + j] * y[ya + j];
    s1 += x[xa + j + 1] * y[ya + j + 1];
    s2 += x[xa + j + 2] * y[ya + j + 2];
    s3 += x[xa + j + 3] * y[ya + j + 3];
  }
  for (; j < d; j++) s0 += x[xa + j] * y[ya + j];
  return s0 + s1 + (s2 + s3);
}

/** Whether x[from, from + d) is all zeros (±0): a factor row the model learned nothing into. */
export function isZeroRow(x: Float32Array, from: number, d: number): boolean {
  for (let j = from; j < from + d; j++) if (x[j] !== 0) return false;
  return true;
}
