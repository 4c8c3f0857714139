/**
 * Stable ordering of rows by timestamp without a comparator over millions of rows: a counting
 * sort into narrow time buckets over [lo, hi), then insertion sort inside each bucket (a handful
 * of rows). The few rows outside [lo, hi) (corrupt timestamps) are sorted apart and placed
 * before and after.
 */
export function orderByTime(ts: Float64Array, n: number, lo: number, hi: number): Int32Array {
  const before: number[] = [];
  const after: number[] = [];
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    if (t < lo) before.push(i);
    else if (t >= hi) after.push(i);
    else inside++;
  }
  const byTime = (a: number, b: number): number => ts[a] - ts[b] || a - b;
  before.sort(byTime);
  after.sort(byTime);

  const buckets = Math.max(1, Math.ceil(inside / 4));
  const width = Math.max(1, (hi - lo) / buckets);
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    if (t >= lo && t < hi) start[Math.min(buckets - 1, Math.floor((t - lo) / width)) + 1]++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const order = new Int32Array(n);
  const base = before.length;
  for (let k = 0; k < base; k++) order[k] = before[k];
  const fill = start.slice(0, buckets);
  for (let i = 0; i < n; i++) {
    const t = ts[i];
    if (t >= lo && t < hi) order[base + fill[Math.min(buckets - 1, Math.floor((t - lo) / width))]++] = i;
  }
  for (let b = 0; b < buckets; b++) {
    for (let k = base + start[b] + 1; k < base + start[b + 1]; k++) {
      const row = order[k];
      const t = ts[row];
      let j = k - 1;
      // Rows entered each bucket in index order, so a strict comparison keeps ties stable.
      while (j >= base + start[b] && ts[order[j]] > t) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = row;
    }
  }
  for (let k = 0; k < after.length; k++) order[base + inside + k] = after[k];
  return order;
}
