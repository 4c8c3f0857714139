/** Small in-place sorts of float64 ranges, for the many short per-account arrays of the signals stage. */

/** Below this length an insertion sort beats a typed-array sort call (most accounts are short). */
const SHORT_SORT = 32;

/** Sorts a[from .. to) ascending in place by insertion (finite values; for short ranges). */
export function insertionSort(a: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= from && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Sorts a[0 .. n) ascending in place (finite values). */
export function sortPrefix(a: Float64Array, n: number): void {
  if (n > SHORT_SORT) a.subarray(0, n).sort();
  else insertionSort(a, 0, n);
}
