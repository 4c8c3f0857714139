/**
 * The row groups of an open Parquet file, one at a time, as Arrow tables through the C data
 * interface: WebAssembly memory holds one decoded group, which is then freed and reused (a whole
 * file decoded at once grows that memory step by step, and each step makes V8 collect garbage).
 */
import type * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { parseTable } from './arrow-ffi.js';

/**
 * Calls `each` with every row group of `pf` (only `columns`, when given) and the group's first
 * row. By default the table's columns are views into WebAssembly memory, valid only during
 * `each`, which must finish synchronously and not call into parquet-wasm (a call that grows the
 * memory would detach them). With `owned`, each group is copied out of that memory first (one
 * copy of its decoded bytes) and `each` may await: between its turns other reads may use
 * parquet-wasm. `fail` makes the error for a group that cannot be read.
 */
export async function forEachRowGroup(
  pf: pw.ParquetFile,
  columns: string[] | undefined,
  each: (table: arrow.Table, offset: number) => void | Promise<void>,
  fail: (group: number, err: unknown) => Error,
  owned = false,
): Promise<void> {
  const meta = pf.metadata();
  let offset = 0;
  for (let g = 0; g < meta.numRowGroups(); g++) {
    const rows = meta.rowGroup(g).numRows();
    let ffi: pw.FFIStream;
    try {
      // One batch per row group: the default 1024-row batches would repeat each dictionary page
      // (all ids of the group) in every batch.
      const wasmTable = await pf.read({ rowGroups: [g], batchSize: Math.max(1, rows), ...(columns ? { columns } : {}) });
      ffi = wasmTable.intoFFI();
    } catch (err) {
      throw fail(g, err);
    }
    let table: arrow.Table;
    try {
      try {
        table = parseTable(pw.wasmMemory().buffer, ffi.arrayAddrs(), ffi.schemaAddr(), owned);
      } catch (err) {
        throw fail(g, err);
      }
      if (!owned) each(table, offset);
    } finally {
      ffi.free();
    }
    if (owned) await each(table, offset);
    offset += rows;
  }
}
