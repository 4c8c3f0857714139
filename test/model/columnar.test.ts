import { describe, expect, it } from 'vitest';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { Utf8Collector, utf8Vector, utf8VectorOf } from '../../src/data/utf8-vector.js';
import { decodeParquet, encodeParquetTo, factorColumns, readFactorColumns, readStringColumn } from '../../src/model/columnar.js';
import { mulberry32, randomFloats } from '../reference/random.js';
import { bytesOf } from '../reference/shared.js';

/** The file's bytes in one piece. */
async function encoded(table: arrow.Table): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await encodeParquetTo(table, (p) => void pieces.push(p));
  return Buffer.concat(pieces);
}

/** Ids and row-major factors of a factor file, decoded a row group at a time as the model loader does. */
async function readFactors(bytes: Uint8Array, idName: string, k: number) {
  const acc = await decodeParquet(
    bytes,
    'f.parquet',
    (rows) => ({ ids: new Utf8Collector(rows), factors: new Float32Array(rows * k), groups: 0 }),
    (acc, t, offset) => {
      readStringColumn(t, idName, 'f.parquet', acc.ids);
      if (k > 0) readFactorColumns(t, k, 'f.parquet', acc.factors, offset);
      acc.groups++;
    },
  );
  return { ...acc, ids: [...utf8VectorOf(acc.ids.finish())] as string[] };
}

describe('model Parquet columns', () => {
  it('encodes ids of any text, and factors, and reads them back unchanged', async () => {
    const ids = ['u1', '', 'é', 'ümlaut-ß', '🎧 listener', '名前', 'x'.repeat(300), ...Array.from({ length: 997 }, (_, i) => `user-${i}`)];
    const k = 3;
    const factors = randomFloats(mulberry32(3), ids.length * k);
    const table = new arrow.Table({ user_id: utf8Vector(ids), ...Object.fromEntries(Object.entries(factorColumns(factors, ids.length, k)).map(([n, c]) => [n, arrow.makeVector(c)])) });
    const back = await readFactors(await encoded(table), 'user_id', k);
    expect(back.ids).toEqual(ids);
    expect(Array.from(back.factors)).toEqual(Array.from(factors));
    expect(back.groups).toBe(1);
  });

  it('moves factors between row-major and per-factor columns for row counts around the tile size, and for k = 1', () => {
    const rng = mulberry32(9);
    for (const [rows, k] of [[0, 4], [1, 1], [255, 3], [256, 2], [257, 5], [1000, 1], [700, 64]]) {
      const factors = randomFloats(rng, rows * k);
      const cols = factorColumns(factors, rows, k);
      expect(Object.keys(cols)).toEqual(Array.from({ length: k }, (_, j) => `f${j}`));
      for (let j = 0; j < k; j++) expect(Array.from(cols[`f${j}`])).toEqual(Array.from({ length: rows }, (_, r) => factors[r * k + j]));
      // Several record batches per column read back the same.
      const table = new arrow.Table({ ...Object.fromEntries(Object.entries(cols).map(([n, c]) => [n, arrow.makeVector(c)])) });
      const split = rows > 2 ? new arrow.Table([...table.slice(0, 2).batches, ...table.slice(2).batches]) : table;
      const out = new Float32Array(rows * k);
      let offset = 0;
      for (const batch of split.batches) {
        readFactorColumns(new arrow.Table(batch), k, 'f.parquet', out, offset);
        offset += batch.numRows;
      }
      expect(Array.from(out), `rows ${rows} k ${k}`).toEqual(Array.from(factors));
    }
  });

  it('names a factor column that is missing, not float32 or has nulls', () => {
    const f0 = arrow.makeVector(Float32Array.from([1, 2]));
    const out = new Float32Array(4);
    expect(() => readFactorColumns(new arrow.Table({ f0 }), 2, 'u.parquet', out)).toThrow('u.parquet: missing factor column f1');
    expect(() => readFactorColumns(new arrow.Table({ f0, f1: arrow.makeVector(Int32Array.from([1, 2])) }), 2, 'u.parquet', out)).toThrow(/u.parquet: column f1 is Int32, expected float32/);
    const withNull = arrow.vectorFromArray([1, null], new arrow.Float32());
    expect(() => readFactorColumns(new arrow.Table({ f0, f1: withNull }), 2, 'u.parquet', out)).toThrow('u.parquet: column f1 has 1 null values');
    expect(() => readFactorColumns(new arrow.Table({ f0, f1: f0 }), 2, 'u.parquet', out, 1)).toThrow('u.parquet: more rows than its metadata says');
  });

  it('encodes a table a row group at a time: WebAssembly memory grows by far less than the table', async () => {
    const rows = 2_000_000;
    const userIndex = Int32Array.from({ length: rows }, (_, i) => i >> 5);
    const itemIndex = Int32Array.from({ length: rows }, (_, i) => (i * 7919) % 100_000);
    const pref = new Float32Array(rows).fill(1);
    const weight = Float32Array.from({ length: rows }, (_, i) => (i % 13) / 4);
    const table = arrow.tableFromArrays({ user_index: userIndex, item_index: itemIndex, pref, weight });
    const before = pw.wasmMemory().buffer.byteLength;
    const bytes = await encoded(table);
    const growth = pw.wasmMemory().buffer.byteLength - before;
    expect(growth).toBeLessThan((rows * 16) / 4);
    const back = await decodeParquet(bytes, 'interactions.parquet', (n) => ({ n, items: new Int32Array(n), weight: new Float32Array(n) }), (acc, t, offset) => {
      acc.items.set(t.getChild('item_index')!.toArray() as Int32Array, offset);
      acc.weight.set(t.getChild('weight')!.toArray() as Float32Array, offset);
    });
    expect(back.n).toBe(rows);
    expect(bytesOf(back.items).equals(bytesOf(itemIndex))).toBe(true);
    expect(bytesOf(back.weight).equals(bytesOf(weight))).toBe(true);
  });

  it('names the file when the bytes are not Parquet', async () => {
    await expect(decodeParquet(new Uint8Array([1, 2, 3]), 'users.parquet', () => 0, () => undefined)).rejects.toThrow(/^users.parquet: not a readable Parquet file/);
  });

  it('encodes an empty id column', async () => {
    const back = await readFactors(await encoded(new arrow.Table({ item_id: utf8Vector([]) })), 'item_id', 0);
    expect(back).toEqual({ ids: [], factors: new Float32Array(0), groups: 0 });
  });

  it('reads a file of many row groups (as written past 65,536 rows) into one array', async () => {
    const rows = 150_000;
    const ids = Array.from({ length: rows }, (_, i) => `t${i}`);
    const factors = randomFloats(mulberry32(4), rows * 2);
    const table = new arrow.Table({ item_id: utf8Vector(ids), ...Object.fromEntries(Object.entries(factorColumns(factors, rows, 2)).map(([n, c]) => [n, arrow.makeVector(c)])) });
    const back = await readFactors(await encoded(table), 'item_id', 2);
    expect(back.groups).toBe(3);
    expect(back.ids).toEqual(ids);
    expect(bytesOf(back.factors).equals(bytesOf(factors))).toBe(true);
  });
});
