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
 * row. The table's columns are views into WebAssembly memory, valid only during `each`, which
 * must not call into parquet-wasm (a call that grows the memory would detach them). `fail` makes
 * the error for a group that cannot be read.
 */
export async function forEachRowGroup(
  pf: pw.ParquetFile,
  columns: string[] | undefined,
  each: (table: arrow.Table, offset: number) => void,
  fail: (group: number, err: unknown) => Error,
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
    try {
      let table: arrow.Table;
      try {
        table = parseTable(pw.wasmMemory().buffer, ffi.arrayAddrs(), ffi.schemaAddr(), false);
      } catch (err) {
        throw fail(g, err);
      }
      each(table, offset);
    } finally {
      ffi.free();
    }
    offset += rows;
  }
}
