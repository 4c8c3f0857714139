/** Plain reference orderings and CSR building: comparator sorts and maps, no packing. */
import type { CsrMatrix } from '../../src/data/csr.js';
import type { ArrayMaker } from '../../src/data/csr-transpose.js';
import type { KeyField } from '../../src/util/radix-order.js';

/** `order` stably sorted by the compound key (fields[0] most significant). */
export function referenceOrder(order: Int32Array, fields: readonly KeyField[]): Int32Array {
  const entries = Array.from(order);
  entries.sort((a, b) => {
    for (const f of fields) {
      const d = f.key[a] - f.key[b];
      if (d !== 0) return d;
    }
    return 0; // Array.prototype.sort is stable: ties keep their order.
  });
  return Int32Array.from(entries);
}

/** CSR by (row, column) with duplicates summed in input order (in float32, as the engine does). */
export function referenceCsr(rows: number, cols: number, rowIdx: Int32Array, colIdx: Int32Array, channels: ArrayLike<number>[]) {
  const cells = new Map<number, number[]>();
  for (let e = 0; e < rowIdx.length; e++) {
    const key = rowIdx[e] * cols + colIdx[e];
    const sums = cells.get(key);
    if (sums) for (let k = 0; k < channels.length; k++) sums[k] = Math.fround(sums[k] + channels[k][e]);
    else cells.set(key, channels.map((ch) => Math.fround(ch[e])));
  }
  const keys = [...cells.keys()].sort((a, b) => a - b);
  const indptr = new Int32Array(rows + 1);
  for (const key of keys) indptr[Math.floor(key / cols) + 1]++;
  for (let r = 0; r < rows; r++) indptr[r + 1] += indptr[r];
  return {
    indptr,
    indices: Int32Array.from(keys, (key) => key % cols),
    values: channels.map((_, k) => Float32Array.from(keys, (key) => (cells.get(key) as number[])[k])),
  };
}

/**
 * The engine's earlier ordering: one stable counting sort per field, from the least significant
 * (a random read of the key and a scattered write per entry and field). Kept as a second oracle
 * and as the baseline of the signals speed benchmark.
 */
export function countingSortChain(order: Int32Array, fields: readonly KeyField[]): Int32Array {
  let out = order;
  for (let f = fields.length - 1; f >= 0; f--) {
    const { key, buckets } = fields[f];
    const start = new Int32Array(buckets + 1);
    for (let i = 0; i < out.length; i++) start[key[out[i]] + 1]++;
    for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
    const next = new Int32Array(out.length);
    for (let i = 0; i < out.length; i++) next[start[key[out[i]]]++] = out[i];
    out = next;
  }
  return out === order ? order.slice() : out;
}

/** The engine's earlier buildCsr: a counting sort by column, then a stable one by row; the speed benchmark's baseline. */
export function countingSortCsr(
  rows: number,
  cols: number,
  rowIdx: Int32Array,
  colIdx: Int32Array,
  channels: ArrayLike<number>[],
): CsrMatrix {
  const n = rowIdx.length;
  if (colIdx.length !== n) throw new RangeError(`buildCsr: colIdx has length ${colIdx.length}, expected ${n}`);
  for (const [c, ch] of channels.entries()) {
    if (ch.length !== n) throw new RangeError(`buildCsr: channel ${c} has length ${ch.length}, expected ${n}`);
  }
  // Two stable counting sorts (by column, then by row) order the entries by (row, column) in
  // O(nnz + rows + cols) with no comparator, and keep duplicates adjacent in input order, so the
  // merged sums are deterministic.
  const colStart = new Int32Array(cols + 1);
  for (let e = 0; e < n; e++) {
    const c = colIdx[e];
    if (!(c >= 0 && c < cols)) throw new RangeError(`buildCsr: column index ${c} at entry ${e} out of range [0, ${cols})`);
    colStart[c + 1]++;
  }
  for (let c = 0; c < cols; c++) colStart[c + 1] += colStart[c];
  const byCol = new Int32Array(n);
  for (let e = 0; e < n; e++) byCol[colStart[colIdx[e]]++] = e;

  const rowStart = new Int32Array(rows + 1);
  for (let e = 0; e < n; e++) {
    const r = rowIdx[e];
    if (!(r >= 0 && r < rows)) throw new RangeError(`buildCsr: row index ${r} at entry ${e} out of range [0, ${rows})`);
    rowStart[r + 1]++;
  }
  for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
  const order = new Int32Array(n);
  const fill = rowStart.slice(0, rows);
  for (let q = 0; q < n; q++) {
    const e = byCol[q];
    order[fill[rowIdx[e]]++] = e;
  }

  const indptr = new Int32Array(rows + 1);
  const outCols = new Int32Array(n);
  const outVals = channels.map(() => new Float32Array(n));
  let w = 0;
  for (let r = 0; r < rows; r++) {
    const start = w;
    for (let p = rowStart[r]; p < rowStart[r + 1]; p++) {
      const src = order[p];
      const c = colIdx[src];
      if (w > start && outCols[w - 1] === c) {
        for (let k = 0; k < channels.length; k++) outVals[k][w - 1] += channels[k][src];
      } else {
        outCols[w] = c;
        for (let k = 0; k < channels.length; k++) outVals[k][w] = channels[k][src];
        w++;
      }
    }
    indptr[r + 1] = w;
  }
  return {
    rows,
    cols,
    indptr,
    indices: w === n ? outCols : outCols.slice(0, w),
    values: outVals.map((v) => (w === n ? v : v.slice(0, w))),
  };
}

function plainArray(ctor: Int32ArrayConstructor, length: number): Int32Array;
function plainArray(ctor: Float32ArrayConstructor, length: number): Float32Array;
function plainArray(ctor: Int32ArrayConstructor | Float32ArrayConstructor, length: number): Int32Array | Float32Array {
  return new ctor(length);
}

/**
 * The engine's earlier transpose, in one pass: each entry written straight at its transposed place
 * (a counting sort by column, rows in order within a column). The oracle of transposeCsr and the
 * baseline of its benchmark; `make` makes the output arrays, as transposeCsr's does.
 */
export function onePassTranspose(m: CsrMatrix, make: ArrayMaker = plainArray): CsrMatrix {
  const nnz = m.indptr[m.rows];
  const indptr = make(Int32Array, m.cols + 1);
  for (let e = 0; e < nnz; e++) indptr[m.indices[e] + 1]++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, m.cols);
  const indices = make(Int32Array, nnz);
  const values = m.values.map(() => make(Float32Array, nnz));
  for (let r = 0; r < m.rows; r++) {
    for (let e = m.indptr[r]; e < m.indptr[r + 1]; e++) {
      const at = fill[m.indices[e]]++;
      indices[at] = r;
      for (let v = 0; v < values.length; v++) values[v][at] = m.values[v][e];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}
