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
import { bytesAsBlob } from '../data/range-blob.js';
import { forEachRowGroup } from '../data/parquet-groups.js';
import { encodeParquetTo as encodeStreamed, encodePushedParquetTo, type TablePush } from '../data/parquet-stream.js';
import type { PieceSink } from '../util/streamed-file.js';
import type { Utf8Collector } from '../data/utf8-vector.js';
import { largeArray } from '../util/large-array.js';

/**
 * Rows per row group. The reader decodes one group at a time into WebAssembly memory that is then
 * reused; a whole file at once grows that memory step by step to the file's decoded size, and
 * every step makes V8 collect garbage (30 M interactions: 6.5 s whole, 1.0 s by groups).
 */
const ROW_GROUP_ROWS = 65_536;

/**
 * Encodes a table as Parquet a row group at a time, each group's bytes to `sink` as they come: a
 * model of 100 M interactions and its encoded bytes, written whole, passed the 4 GiB that
 * WebAssembly can address.
 */
export function encodeParquetTo(table: arrow.Table, sink: PieceSink): Promise<void> {
  return encodeStreamed(table, writerProperties, ROW_GROUP_ROWS, sink);
}

/** As encodeParquetTo, for tables a producer pushes one after another (see encodePushedParquetTo). */
export function encodePushedParquet(produce: (push: TablePush) => Promise<void>, sink: PieceSink, columnsAlone?: () => arrow.Table): Promise<number> {
  return encodePushedParquetTo(produce, writerProperties, ROW_GROUP_ROWS, sink, columnsAlone);
}

function writerProperties(): pw.WriterProperties {
  return new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setDictionaryEnabled(false).setMaxRowGroupSize(ROW_GROUP_ROWS).build();
}

/**
 * Decodes Parquet bytes (already read and verified) one row group at a time (forEachRowGroup):
 * `init` gets the row count and makes the accumulator, `each` copies a group's rows out of
 * `table` (rows `offset`...). `file` names the source in errors.
 */
export async function decodeParquet<A>(bytes: Uint8Array, file: string, init: (rows: number) => A, each: (acc: A, table: arrow.Table, offset: number) => void): Promise<A> {
  const unreadable = (err: unknown): Error => new Error(`${file}: not a readable Parquet file (${String((err as Error)?.message ?? err)})`);
  let pf: pw.ParquetFile;
  try {
    pf = await pw.ParquetFile.fromFile(bytesAsBlob(bytes));
  } catch (err) {
    throw unreadable(err);
  }
  try {
    const acc = init(pf.metadata().fileMetadata().numRows());
    await forEachRowGroup(pf, undefined, (table, offset) => each(acc, table, offset), (_, err) => unreadable(err));
    return acc;
  } finally {
    pf.free();
  }
}

/**
 * Rows of a factor matrix moved per tile between row-major and column-major layout: a tile of
 * TILE rows × k factors stays in cache while its k column pieces are read or written, where a
 * whole column at a time touched a new cache line of the matrix per value.
 */
const TILE = 256;

/**
 * Row-major factor matrix → one float32 column per latent dimension (f0, f1, ...). The columns
 * are views of one array on huge pages: k arrays of 4 MB each (a million users) were faulted in
 * 4 KiB at a time, which on a virtual machine cost more than the transpose.
 */
export function factorColumns(matrix: Float32Array, rows: number, k: number): Record<string, Float32Array> {
  const all = largeArray(Float32Array, rows * k);
  const cols = Array.from({ length: k }, (_, j) => all.subarray(j * rows, (j + 1) * rows));
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let j = 0; j < k; j++) {
      const c = cols[j];
      for (let r = r0; r < r1; r++) c[r] = matrix[r * k + j];
    }
  }
  return Object.fromEntries(cols.map((c, j) => [`f${j}`, c]));
}

/** The inverse of factorColumns: the table's rows into `out` (row-major) from row `offset`; names the file and column when one is missing or wrong. */
export function readFactorColumns(table: arrow.Table, k: number, file: string, out: Float32Array, offset = 0): void {
  const rows = table.numRows;
  if ((offset + rows) * k > out.length) throw new Error(`${file}: more rows than its metadata says`);
  const cols: (Float32Array | Float64Array)[] = [];
  for (let j = 0; j < k; j++) {
    const col = table.getChild(`f${j}`);
    if (!col) throw new Error(`${file}: missing factor column f${j}`);
    if (!arrow.DataType.isFloat(col.type) || col.type.precision === arrow.Precision.HALF) throw new Error(`${file}: column f${j} is ${col.type}, expected float32`);
    if (col.nullCount > 0) throw new Error(`${file}: column f${j} has ${col.nullCount} null values`);
    cols.push(col.data.length === 1 ? (col.data[0].values as Float32Array | Float64Array).subarray(0, rows) : (col.toArray() as Float32Array | Float64Array));
  }
  // A k lowered in the manifest would read the first k columns of wider rows without a word.
  if (table.getChild(`f${k}`)) throw new Error(`${file}: has factor column f${k}, more than the manifest's ${k} factors`);
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let j = 0; j < k; j++) {
      const c = cols[j];
      for (let r = r0; r < r1; r++) out[(offset + r) * k + j] = c[r];
    }
  }
  for (let i = offset * k; i < (offset + rows) * k; i++) {
    if (!Number.isFinite(out[i])) throw new Error(`${file}: row ${Math.floor(i / k)}: factor f${i % k} is ${out[i]}`);
  }
}

/** A string column's values into `out`; names the file and column when it is missing, not text, or has nulls. */
export function readStringColumn(table: arrow.Table, name: string, file: string, out: Utf8Collector): void {
  const col = table.getChild(name);
  if (!col) throw new Error(`${file}: missing column ${name}`);
  if (!arrow.DataType.isUtf8(col.type) && !arrow.DataType.isLargeUtf8(col.type)) throw new Error(`${file}: column ${name} is ${col.type}, expected text`);
  if (col.nullCount > 0) throw new Error(`${file}: column ${name} has ${col.nullCount} null values`);
  out.append(col as arrow.Vector<arrow.Utf8 | arrow.LargeUtf8>);
}

/** A numeric column's values into `out` from row `offset`. */
export function readNumericColumn(table: arrow.Table, name: string, file: string, out: Int32Array | Float32Array, offset = 0): void {
  const col = table.getChild(name);
  if (!col) throw new Error(`${file}: missing column ${name}`);
  if (offset + table.numRows > out.length) throw new Error(`${file}: more rows than its metadata says`);
  let r = offset;
  for (const chunk of col.data) {
    out.set(chunk.values.subarray(0, chunk.length) as unknown as ArrayLike<number>, r);
    r += chunk.length;
  }
}
