/**
 * Parquet files of the model directory, readable from Python (pyarrow, pandas) and DuckDB.
 * apache-arrow builds the table; parquet-wasm encodes it with Snappy, the Spark/pyarrow default,
 * and no dictionary encoding (ids are unique and factors barely repeat, so a dictionary page is
 * tried and dropped for every column). Factors are floats that barely compress: ZSTD made them
 * 11% smaller than Snappy but took 6× as long to write and 7× as long to read (a million users ×
 * 64 factors: 5.3 s against 0.9 s to write).
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { parseTable } from '../data/arrow-ffi.js';
import { sharedArray } from '../util/shared-memory.js';

export function encodeParquet(table: arrow.Table): Uint8Array {
  const wasmTable = pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setDictionaryEnabled(false).build();
  return pw.writeParquet(wasmTable, props);
}

/**
 * Decodes Parquet bytes (already read and verified) and hands the table to `use`; `file` names the
 * source in errors. The table's columns are views into WebAssembly memory, valid only during
 * `use`, which must copy out what it keeps and must not call into parquet-wasm (a call that grows
 * the memory would detach them). No serialised copy of the table is made on the way.
 */
export function decodeParquet<T>(bytes: Uint8Array, file: string, use: (table: arrow.Table) => T): T {
  let ffi: pw.FFIStream;
  try {
    ffi = pw.readParquet(bytes).intoFFI();
  } catch (err) {
    throw new Error(`${file}: not a readable Parquet file (${String((err as Error)?.message ?? err)})`);
  }
  try {
    return use(parseTable(pw.wasmMemory().buffer, ffi.arrayAddrs(), ffi.schemaAddr(), false));
  } finally {
    ffi.free();
  }
}

/**
 * Rows of a factor matrix moved per tile between row-major and column-major layout: a tile of
 * TILE rows × k factors stays in cache while its k column pieces are read or written, where a
 * whole column at a time touched a new cache line of the matrix per value.
 */
const TILE = 256;

/** Row-major factor matrix → one float32 column per latent dimension (f0, f1, ...). */
export function factorColumns(matrix: Float32Array, rows: number, k: number): Record<string, Float32Array> {
  const cols = Array.from({ length: k }, () => new Float32Array(rows));
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let j = 0; j < k; j++) {
      const c = cols[j];
      for (let r = r0; r < r1; r++) c[r] = matrix[r * k + j];
    }
  }
  return Object.fromEntries(cols.map((c, j) => [`f${j}`, c]));
}

/** The inverse of factorColumns; names the file and column when one is missing or wrong. */
export function readFactorColumns(table: arrow.Table, k: number, file: string): Float32Array {
  const rows = table.numRows;
  // Shared memory: the addon's async scoring uses it in place instead of copying it per call.
  const out = sharedArray(Float32Array, rows * k);
  const cols: (Float32Array | Float64Array)[] = [];
  for (let j = 0; j < k; j++) {
    const col = table.getChild(`f${j}`);
    if (!col) throw new Error(`${file}: missing factor column f${j}`);
    if (!arrow.DataType.isFloat(col.type) || col.type.precision === arrow.Precision.HALF) throw new Error(`${file}: column f${j} is ${col.type}, expected float32`);
    if (col.nullCount > 0) throw new Error(`${file}: column f${j} has ${col.nullCount} null values`);
    cols.push(col.data.length === 1 ? (col.data[0].values as Float32Array | Float64Array).subarray(0, rows) : (col.toArray() as Float32Array | Float64Array));
  }
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let j = 0; j < k; j++) {
      const c = cols[j];
      for (let r = r0; r < r1; r++) out[r * k + j] = c[r];
    }
  }
  return out;
}

export function stringColumn(table: arrow.Table, name: string, file: string): string[] {
  const col = table.getChild(name);
  if (!col) throw new Error(`${file}: missing column ${name}`);
  return col.toArray() as string[];
}

export function numericColumn<T extends Int32Array | Float32Array>(table: arrow.Table, name: string, ctor: { new (n: number): T }, file: string): T {
  const col = table.getChild(name);
  if (!col) throw new Error(`${file}: missing column ${name}`);
  const out = new ctor(table.numRows);
  let r = 0;
  for (const chunk of col.data) {
    out.set(chunk.values.subarray(0, chunk.length) as unknown as ArrayLike<number>, r);
    r += chunk.length;
  }
  return out;
}
