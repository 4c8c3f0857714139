/**
 * Splitting CSR rows into contiguous shards of about equal work. A row's solve costs roughly
 * (nnz_u · k) for the sparse part plus a fixed (k² · steps) part, so we balance on
 * nnz + rowOverhead per row rather than on row count: a few heavy users must not all land on one
 * worker.
 */
export interface Shard {
  readonly begin: number;
  readonly end: number;
}

/**
 * Contiguous shards of rows whose cumulative cost before row r is `indptr[r]` (a CSR's row
 * pointers, or any non-decreasing prefix sum of per-row costs), plus `rowOverhead` per row.
 */
export function shardRows(indptr: ArrayLike<number>, shards: number, rowOverhead = 1): Shard[] {
  const rows = indptr.length - 1;
  if (rows <= 0) return [];
  const count = Math.max(1, Math.min(shards, rows));
  const total = indptr[rows] - indptr[0] + rows * rowOverhead;
  const out: Shard[] = [];
  let begin = 0;
  for (let s = 1; s <= count && begin < rows; s++) {
    if (s === count) {
      out.push({ begin, end: rows });
      break;
    }
    const target = (total * s) / count;
    // Binary search the first row whose cumulative cost reaches the target.
    let lo = begin + 1;
    let hi = rows;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (indptr[mid] - indptr[0] + mid * rowOverhead < target) lo = mid + 1;
      else hi = mid;
    }
    out.push({ begin, end: lo });
    begin = lo;
  }
  return out;
}
