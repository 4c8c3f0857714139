/**
 * Medians by selection instead of sorting. The signals stage takes a median and a median absolute
 * deviation per account (gap regularity) and per feature over all accounts (robust scores); at
 * 100 M events a million accounts' sorts (these and the grouping by track) were about a tenth of
 * the stage, and a median needs only the middle values in place. The values returned are the same as a full sort's: the same one or two
 * middle elements, averaged the same way.
 */
import { insertionSort } from './float-sort.js';

/** Below this many elements the range is finished by insertion sort. */
const SMALL = 16;

/**
 * Rearranges a[0 .. n) (finite values) so that a[k] holds what a full ascending sort would put
 * there, with every element before it ≤ a[k] and every one after it ≥ a[k].
 */
export function selectInPlace(a: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > SMALL) {
    // Median of three as the pivot, which also leaves sentinels at both ends of the range.
    const mid = (lo + hi) >> 1;
    if (a[mid] < a[lo]) swap(a, lo, mid);
    if (a[hi] < a[lo]) swap(a, lo, hi);
    if (a[hi] < a[mid]) swap(a, mid, hi);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    // Now a[lo .. j] ≤ pivot ≤ a[i .. hi], and anything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
  insertionSort(a, lo, hi + 1);
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Median of a[0 .. n) (finite values; NaN when n is 0), reordering them: the middle value, or the
 * mean of the two middle values when n is even, as of a sorted copy.
 */
export function medianInPlace(a: Float64Array, n: number = a.length): number {
  if (n === 0) return Number.NaN;
  const m = n >> 1;
  selectInPlace(a, n, m);
  if (n % 2 === 1) return a[m];
  // The lower middle value is the largest of those placed before a[m].
  let lower = a[0];
  for (let i = 1; i < m; i++) if (a[i] > lower) lower = a[i];
  return (lower + a[m]) / 2;
}
