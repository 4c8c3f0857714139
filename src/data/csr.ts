/**
 * Building CSR matrices from coordinate triplets. Duplicate (row, col) pairs are merged by summing
 * their values; columns come out sorted within each row, which the native kernels require.
 */

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
 * O(nnz + rows) memory besides the output; no per-entry objects.
 */
export function buildCsr(
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

/** Transpose a CSR matrix (rows × cols → cols × rows), keeping value channels aligned. */
export function transposeCsr(m: CsrMatrix): CsrMatrix {
  const nnz = m.indices.length;
  const indptr = new Int32Array(m.cols + 1);
  for (let p = 0; p < nnz; p++) indptr[m.indices[p] + 1]++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const values = m.values.map(() => new Float32Array(nnz));
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
      const dst = fill[m.indices[p]]++;
      indices[dst] = r;
      for (let k = 0; k < values.length; k++) values[k][dst] = m.values[k][p];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}
