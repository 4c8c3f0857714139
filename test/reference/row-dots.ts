/**
 * Dot products in the re-ranker's order, written plainly: float64 sums of float32 products in four
 * partial sums by j mod 4, a tail added to the first, then (s0 + s1) + (s2 + s3).
 */
export function dotInRerankOrder(V: Float32Array, dim: number, a: number, b: number): number {
  const s = [0, 0, 0, 0];
  const body = dim - (dim % 4);
  for (let j = 0; j < body; j++) s[j % 4] += V[a * dim + j] * V[b * dim + j];
  for (let j = body; j < dim; j++) s[0] += V[a * dim + j] * V[b * dim + j];
  return s[0] + s[1] + (s[2] + s[3]);
}
