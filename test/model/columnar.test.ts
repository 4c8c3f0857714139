import { describe, expect, it } from 'vitest';
import * as arrow from 'apache-arrow';
import { utf8Vector } from '../../src/data/utf8-vector.js';
import { decodeParquet, encodeParquet, factorColumns, readFactorColumns, stringColumn } from '../../src/model/columnar.js';
import { mulberry32, randomFloats } from '../reference/random.js';

describe('model Parquet columns', () => {
  it('encodes ids of any text, and factors, and reads them back unchanged', () => {
    const ids = ['u1', '', 'é', 'ümlaut-ß', '🎧 listener', '名前', 'x'.repeat(300), ...Array.from({ length: 997 }, (_, i) => `user-${i}`)];
    const k = 3;
    const factors = randomFloats(mulberry32(3), ids.length * k);
    const table = new arrow.Table({ user_id: utf8Vector(ids), ...Object.fromEntries(Object.entries(factorColumns(factors, ids.length, k)).map(([n, c]) => [n, arrow.makeVector(c)])) });
    const back = decodeParquet(encodeParquet(table), 'users.parquet', (t) => ({ ids: stringColumn(t, 'user_id', 'users.parquet'), factors: readFactorColumns(t, k, 'users.parquet') }));
    expect(back.ids).toEqual(ids);
    expect(Array.from(back.factors)).toEqual(Array.from(factors));
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
      expect(Array.from(readFactorColumns(split, k, 'f.parquet')), `rows ${rows} k ${k}`).toEqual(Array.from(factors));
    }
  });

  it('names a factor column that is missing, not float32 or has nulls', () => {
    const f0 = arrow.makeVector(Float32Array.from([1, 2]));
    expect(() => readFactorColumns(new arrow.Table({ f0 }), 2, 'u.parquet')).toThrow('u.parquet: missing factor column f1');
    expect(() => readFactorColumns(new arrow.Table({ f0, f1: arrow.makeVector(Int32Array.from([1, 2])) }), 2, 'u.parquet')).toThrow(/u.parquet: column f1 is Int32, expected float32/);
    const withNull = arrow.vectorFromArray([1, null], new arrow.Float32());
    expect(() => readFactorColumns(new arrow.Table({ f0, f1: withNull }), 2, 'u.parquet')).toThrow('u.parquet: column f1 has 1 null values');
  });

  it('names the file when the bytes are not Parquet', () => {
    expect(() => decodeParquet(new Uint8Array([1, 2, 3]), 'users.parquet', () => 0)).toThrow(/^users.parquet: not a readable Parquet file/);
  });

  it('encodes an empty id column', () => {
    const back = decodeParquet(encodeParquet(new arrow.Table({ item_id: utf8Vector([]) })), 'items.parquet', (t) => ({ rows: t.numRows, ids: stringColumn(t, 'item_id', 'items.parquet') }));
    expect(back).toEqual({ rows: 0, ids: [] });
  });
});
