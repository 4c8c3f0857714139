/** Error measures for comparing native float32 results with float64 references. */

/** max_i |a_i − b_i| / max(max_i |b_i|, floor): one relative error for a whole vector. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** relError of each k-wide row of a row range, worst row. */
export function worstRowError(a: ArrayLike<number>, b: ArrayLike<number>, k: number, begin: number, end: number): number {
  let worst = 0;
  for (let r = begin; r < end; r++) {
    const sa = Array.from({ length: k }, (_, j) => a[r * k + j]);
    const sb = Array.from({ length: k }, (_, j) => b[r * k + j]);
    worst = Math.max(worst, relError(sa, sb));
  }
  return worst;
}
