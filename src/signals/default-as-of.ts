/**
 * The as-of time of a log when none is given: just after its last event, ignoring stray
 * future-dated rows (a wrong device clock, a corrupt export). Taken naively, one row dated months
 * ahead would move every decay reference there and shrink all evidence toward zero, which turns
 * the confidence weighting off without a word.
 *
 * Rule: q = the time by which all but the latest 0.1% of events had happened (the last event for
 * logs under 1,000 events); the as-of is 1 ms after the latest event no later than q + 1 day. A
 * listening log's final 0.1% spans minutes to hours, so its genuine end stays; rows days or months
 * beyond it become future events (dropped and counted by the signals stage). Stray rows beyond
 * 0.1% of the log, or a sparse log whose last 0.1% spans more than a day, need an explicit as-of.
 */
const TAIL_SHARE = 1e-3;
const MARGIN_MS = 86_400_000;

/** The default as-of (epoch ms) of `timestamps`; NaN when none is finite. */
export function defaultAsOf(timestamps: Float64Array): number {
  let finite = 0;
  for (let i = 0; i < timestamps.length; i++) if (Number.isFinite(timestamps[i])) finite++;
  if (finite === 0) return Number.NaN;
  const q = kthLargest(timestamps, Math.floor(finite * TAIL_SHARE) + 1);
  let last = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (t <= q + MARGIN_MS && t > last) last = t;
  }
  return last + 1;
}

/** The k-th largest finite value (1 = the maximum), by a min-heap of the k largest seen. */
function kthLargest(xs: Float64Array, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (!Number.isFinite(x)) continue;
    if (size < k) {
      // Sift x up from the new leaf.
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heap[parent] <= x) break;
        heap[c] = heap[parent];
        c = parent;
      }
      heap[c] = x;
    } else if (x > heap[0]) {
      // x replaces the smallest of the k: sift it down from the root.
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        if (l >= k) break;
        const m = l + 1 < k && heap[l + 1] < heap[l] ? l + 1 : l;
        if (heap[m] >= x) break;
        heap[p] = heap[m];
        p = m;
      }
      heap[p] = x;
    }
  }
  return heap[0];
}
