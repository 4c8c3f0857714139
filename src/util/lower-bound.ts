/** The first index i in [lo, hi) with sorted[i] ≥ v, or hi when there is none (`sorted` ascending there). */
export function lowerBound(sorted: ArrayLike<number>, v: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
