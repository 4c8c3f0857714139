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
    const back = decodeParquet(encodeParquet(table), 'users.parquet');
    expect(stringColumn(back, 'user_id', 'users.parquet')).toEqual(ids);
    expect(Array.from(readFactorColumns(back, k, 'users.parquet'))).toEqual(Array.from(factors));
  });

  it('encodes an empty id column', () => {
    const back = decodeParquet(encodeParquet(new arrow.Table({ item_id: utf8Vector([]) })), 'items.parquet');
    expect(back.numRows).toBe(0);
  });
});
