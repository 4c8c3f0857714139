/**
 * A CSR matrix from entries already grouped by row, for callers that place them straight from
 * their own columns (the week's events mapped onto a model, the archive's weeks): no triplet
 * arrays, and no radix sort moving every entry through a pass per byte of a packed (row, column)
 * key. Each row's duplicates (a third to a half of a week's entries repeat) are merged through a
 * column-sized stamp array before the few distinct columns left are sorted. The result is
 * buildCsr's for the same entries bit for bit: duplicates are summed in the order placed into a
 * float32 that starts at 0, and columns come out sorted within each row.
 */
import type { CsrMatrix } from './csr.js';
import { toShared } from '../util/shared-memory.js';

/**
 * The matrix from entries already placed in their rows' buckets (`indptr`: where each row's
 * entries start, in the order they are to be summed): duplicates merged, columns sorted. For
 * callers that place entries straight from their own columns, without triplet arrays. Takes over
 * the arrays: `indptr` is rewritten and the buckets are merged in place. Buckets in shared memory
 * give a matrix in shared memory.
 */
export function mergeRowBuckets(rows: number, cols: number, indptr: Int32Array, bucketCols: Int32Array, bucketVals: Float32Array | null): CsrMatrix {
  const n = bucketCols.length;
  if (indptr.length !== rows + 1 || indptr[rows] !== n) throw new RangeError(`mergeRowBuckets: indptr must hold ${rows + 1} offsets ending at ${n}`);
  if (bucketVals && bucketVals.length !== n) throw new RangeError(`mergeRowBuckets: values have length ${bucketVals.length}, expected ${n}`);
  const size = mergeRows(rows, cols, indptr, bucketCols, bucketVals);
  return {
    rows,
    cols,
    indptr,
    indices: prefix(bucketCols, size),
    values: bucketVals ? [prefix(bucketVals, size)] : [],
  };
}

/** The first `size` elements as an array of their own, in shared memory when `a` is shared. */
function prefix<T extends Int32Array | Float32Array>(a: T, size: number): T {
  if (size === a.length) return a;
  return (a.buffer instanceof SharedArrayBuffer ? toShared(a.subarray(0, size)) : a.slice(0, size)) as T;
}

/**
 * Merges each row's duplicate columns in place (the distinct ones packed to the front of the
 * arrays, in first-seen order, then sorted) and rewrites `indptr` to the merged rows. Returns the
 * number of distinct cells.
 */
function mergeRows(rows: number, cols: number, indptr: Int32Array, bucketCols: Int32Array, bucketVals: Float32Array | null): number {
  // stamp[c] = r + 1 while row r is merged; at[c]: where column c's cell went.
  const stamp = new Int32Array(cols);
  const at = new Int32Array(cols);
  let firstSeen = new Float32Array(0);
  let w = 0;
  let begin = 0;
  for (let r = 0; r < rows; r++) {
    const end = indptr[r + 1];
    const rowStart = w;
    for (let p = begin; p < end; p++) {
      const c = bucketCols[p];
      if (stamp[c] === r + 1) {
        if (bucketVals) bucketVals[at[c]] += bucketVals[p];
        continue;
      }
      stamp[c] = r + 1;
      at[c] = w;
      bucketCols[w] = c;
      if (bucketVals) {
        const v = bucketVals[p];
        bucketVals[w] = 0;
        bucketVals[w] += v;
      }
      w++;
    }
    begin = end;
    indptr[r + 1] = w;
    if (!isSorted(bucketCols, rowStart, w)) {
      if (bucketVals) {
        if (firstSeen.length < w - rowStart) firstSeen = new Float32Array(Math.max(w - rowStart, 2 * firstSeen.length));
        firstSeen.set(bucketVals.subarray(rowStart, w));
      }
      bucketCols.subarray(rowStart, w).sort();
      if (bucketVals) for (let p = rowStart; p < w; p++) bucketVals[p] = firstSeen[at[bucketCols[p]] - rowStart];
    }
  }
  return w;
}

function isSorted(a: Int32Array, from: number, to: number): boolean {
  for (let p = from + 1; p < to; p++) if (a[p - 1] > a[p]) return false;
  return true;
}
