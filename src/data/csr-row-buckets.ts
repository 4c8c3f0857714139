/**
 * buildCsr for triplets of many duplicates over a catalog-sized column space (a week of events
 * mapped onto a model: every play of a track is an entry, a third to a half of them repeats). The
 * radix sort of buildCsr moves every entry through a pass per byte of the packed (row, column)
 * key; here each entry is moved once, into its row's bucket, and the duplicates are merged within
 * the row through a column-sized stamp array before the few distinct columns left are sorted.
 * The result is buildCsr's bit for bit: duplicates are summed in input order into a float32 that
 * starts at 0, and columns come out sorted within each row.
 */
import { rowStarts, type CsrMatrix } from './csr.js';
import { largeArray } from '../util/large-array.js';
import { toShared } from '../util/shared-memory.js';

export function buildCsrInRowBuckets(rows: number, cols: number, rowIdx: Int32Array, colIdx: Int32Array, values?: Float32Array): CsrMatrix {
  const n = rowIdx.length;
  if (values && values.length !== n) throw new RangeError(`buildCsrInRowBuckets: values have length ${values.length}, expected ${n}`);
  const indptr = rowStarts('buildCsrInRowBuckets', rows, cols, rowIdx, colIdx);
  // Each entry to the next place of its row, in input order (stable, like buildCsr's sort).
  const bucketCols = largeArray(Int32Array, n);
  const bucketVals = values ? largeArray(Float32Array, n) : null;
  const next = indptr.slice(0, rows);
  if (values && bucketVals) {
    for (let e = 0; e < n; e++) {
      const p = next[rowIdx[e]]++;
      bucketCols[p] = colIdx[e];
      bucketVals[p] = values[e];
    }
  } else {
    for (let e = 0; e < n; e++) bucketCols[next[rowIdx[e]]++] = colIdx[e];
  }
  return mergeRowBuckets(rows, cols, indptr, bucketCols, bucketVals);
}

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
