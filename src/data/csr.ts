/**
 * Building CSR matrices from coordinate triplets. Duplicate (row, col) pairs are merged by summing
 * their values; columns come out sorted within each row, which the native kernels require.
 */
import { bitsFor, sortPacked } from '../util/radix-order.js';
import { largeArray } from '../util/large-array.js';

export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** One value array per input value channel, aligned with indices. */
  readonly values: Float32Array[];
}

/**
 * Sort the triplets by (row, column) and merge duplicates.
 * O(nnz + rows) memory besides the output (a radix sort of packed keys); no per-entry objects.
 */
export function buildCsr(
  rows: number,
  cols: number,
  rowIdx: Int32Array,
  colIdx: Int32Array,
  channels: ArrayLike<number>[],
): CsrMatrix {
  for (const [c, ch] of channels.entries()) {
    if (ch.length !== rowIdx.length) throw new RangeError(`buildCsr: channel ${c} has length ${ch.length}, expected ${rowIdx.length}`);
  }
  const only = channels.length === 1 ? channels[0] : null;
  if (only instanceof Float32Array) {
    // One float channel travels through the sort, and is then summed in sequence.
    const cells = sortedCells('buildCsr', rows, cols, rowIdx, colIdx, wordsOf(only));
    return matrix(rows, cols, cells, [sumInOrder(floatsOf(cells.order), cells.slot, cells.size)]);
  }
  const cells = sortedCells('buildCsr', rows, cols, rowIdx, colIdx);
  // One tight loop per channel: the channels may be arrays of different types, and one loop over
  // all of them per entry would read them through a slow generic path.
  return matrix(rows, cols, cells, channels.map((ch) => sumIntoSlots(ch, cells.order, cells.slot, cells.size)));
}

/** The triplets' cells in (row, column) order: where each sorted entry lands (duplicates share a slot). */
interface SortedCells {
  /** Entry index per sorted entry, or the carried word. */
  order: Int32Array;
  slot: Int32Array;
  indptr: Int32Array;
  cols: Int32Array;
  /** Distinct cells. */
  size: number;
}

/**
 * Where each row's entries start once grouped by row (rows + 1 offsets), after checking that every
 * triplet's row and column lie in range; errors name `caller` and the entry.
 */
function rowStarts(caller: string, rows: number, cols: number, rowIdx: Int32Array, colIdx: Int32Array): Int32Array {
  const n = rowIdx.length;
  if (colIdx.length !== n) throw new RangeError(`${caller}: colIdx has length ${colIdx.length}, expected ${n}`);
  for (let e = 0; e < n; e++) {
    const c = colIdx[e];
    if (!(c >= 0 && c < cols)) throw new RangeError(`${caller}: column index ${c} at entry ${e} out of range [0, ${cols})`);
  }
  const starts = new Int32Array(rows + 1);
  for (let e = 0; e < n; e++) {
    const r = rowIdx[e];
    if (!(r >= 0 && r < rows)) throw new RangeError(`${caller}: row index ${r} at entry ${e} out of range [0, ${rows})`);
    starts[r + 1]++;
  }
  for (let r = 0; r < rows; r++) starts[r + 1] += starts[r];
  return starts;
}

function sortedCells(caller: string, rows: number, cols: number, rowIdx: Int32Array, colIdx: Int32Array, carry?: Int32Array): SortedCells {
  const n = rowIdx.length;
  const rowStart = rowStarts(caller, rows, cols, rowIdx, colIdx);
  // A stable sort by (row, column) keeps duplicates adjacent in input order, so the merged sums
  // are deterministic. The column is the low bits of the sorted packed key.
  const { order, lo } = sortPacked(
    n,
    [
      { key: rowIdx, buckets: rows },
      { key: colIdx, buckets: cols },
    ],
    carry,
  );
  const colMask = 2 ** bitsFor(cols) - 1;
  const indptr = new Int32Array(rows + 1);
  const outCols = largeArray(Int32Array, n);
  const slot = largeArray(Int32Array, n);
  let w = 0;
  for (let r = 0; r < rows; r++) {
    const start = w;
    for (let p = rowStart[r]; p < rowStart[r + 1]; p++) {
      const c = lo[p] & colMask;
      if (w > start && outCols[w - 1] === c) slot[p] = w - 1;
      else {
        outCols[w] = c;
        slot[p] = w++;
      }
    }
    indptr[r + 1] = w;
  }
  return { order, slot, indptr, cols: outCols, size: w };
}

function matrix(rows: number, cols: number, cells: SortedCells, values: Float32Array[]): CsrMatrix {
  const n = cells.cols.length;
  return { rows, cols, indptr: cells.indptr, indices: cells.size === n ? cells.cols : cells.cols.slice(0, cells.size), values };
}

/** The bits of a float array as 32-bit words (a view, no copy). */
function wordsOf(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

function floatsOf(words: Int32Array): Float32Array {
  return new Float32Array(words.buffer, words.byteOffset, words.length);
}

/** Sums ch[order[p]] into slot[p] of a new array of `size`, in sorted order. */
function sumIntoSlots(ch: ArrayLike<number>, order: Int32Array, slot: Int32Array, size: number): Float32Array {
  const out = largeArray(Float32Array, size);
  for (let p = 0; p < order.length; p++) out[slot[p]] += ch[order[p]];
  return out;
}

/** Sums v[p] into slot[p] of a new array of `size`. */
function sumInOrder(v: Float32Array, slot: Int32Array, size: number): Float32Array {
  const out = largeArray(Float32Array, size);
  for (let p = 0; p < v.length; p++) out[slot[p]] += v[p];
  return out;
}
