/**
 * Dot products in the fixed order of the native row dots, written plainly: float64 sums of float32
 * products in four partial sums by j mod 4, a tail added to the first, then (s0 + s1) + (s2 + s3).
 */
export function dotInFixedOrder(x: Float32Array, y: Float32Array): number {
  const s = [0, 0, 0, 0];
  const body = x.length - (x.length % 4);
  for (let j = 0; j < body; j++) s[j % 4] += x[j] * y[j];
  for (let j = body; j < x.length; j++) s[0] += x[j] * y[j];
  return s[0] + s[1] + (s[2] + s[3]);
}

/** Row r of a row-major matrix with `dim` values a row (a view). */
export const rowOf = (V: Float32Array, dim: number, r: number): Float32Array => V.subarray(r * dim, (r + 1) * dim);
