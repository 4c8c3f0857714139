/**
 * Stable ordering of rows by timestamp without a comparator over millions of rows: a counting
 * sort into narrow time buckets, then insertion sort inside each bucket (a handful of rows).
 * Out-of-range timestamps (corrupt rows) land in the first or last bucket and sort there.
 */
export function orderByTime(ts: Float64Array, n: number, lo: number, hi: number): Int32Array {
  const buckets = Math.max(1, Math.ceil(n / 4));
  const width = Math.max(1, (hi - lo) / buckets);
  const bucketOf = (t: number): number => {
    const b = Math.floor((t - lo) / width);
    return b < 0 ? 0 : b >= buckets ? buckets - 1 : b;
  };
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) start[bucketOf(ts[i]) + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const order = new Int32Array(n);
  const fill = start.slice(0, buckets);
  for (let i = 0; i < n; i++) order[fill[bucketOf(ts[i])]++] = i;
  for (let b = 0; b < buckets; b++) {
    for (let k = start[b] + 1; k < start[b + 1]; k++) {
      const row = order[k];
      const t = ts[row];
      let j = k - 1;
      // Rows entered each bucket in index order, so a strict comparison keeps ties stable.
      while (j >= start[b] && ts[order[j]] > t) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = row;
    }
  }
  return order;
}
