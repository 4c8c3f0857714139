/**
 * IdNumbering (string ids numbered on a Parquet decoding thread) against a plain Map: numbers in
 * first-seen order across chunks, null and empty values missing, and each chunk's new ids with
 * their bytes.
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { IdNumbering, type NumberedIds } from '../../src/data/id-numbering.js';
import { IdColumn, IdTarget, MISSING_KEY } from '../../src/data/arrow-id-column.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { mulberry32 } from '../../src/util/random.js';

const text = new TextDecoder();

/** Reference numbering: a Map of ids seen so far; the chunk's values as numbers and the new ids. */
class MapNumbering {
  readonly seen = new Map<string, number>();
  number(values: (string | null)[]): { numbers: number[]; fresh: string[]; first: number } {
    const first = this.seen.size;
    const fresh: string[] = [];
    const numbers = values.map((v) => {
      if (v === null || v === '') return MISSING_KEY;
      let k = this.seen.get(v);
      if (k === undefined) {
        this.seen.set(v, (k = this.seen.size));
        fresh.push(v);
      }
      return k;
    });
    return { numbers, fresh, first };
  }
}

function freshIds(ids: NumberedIds): string[] {
  return Array.from({ length: ids.offsets.length - 1 }, (_, j) => text.decode(ids.bytes.subarray(ids.offsets[j], ids.offsets[j + 1])));
}

/** A chunk of `n` ids drawn from `pool` (some null, some empty), dictionary-encoded or plain. */
function chunk(rand: () => number, n: number, pool: string[], dictionary: boolean): { data: arrow.Data; values: (string | null)[] } {
  const rows = Array.from({ length: n }, () => {
    const r = rand();
    return r < 0.05 ? null : r < 0.08 ? '' : pool[Math.floor(rand() ** 2 * pool.length)];
  });
  const vector = arrow.vectorFromArray(rows, dictionary ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()) : new arrow.Utf8());
  const data = vector.data[0] as arrow.Data;
  const values = dictionary ? (data.dictionary!.toArray() as (string | null)[]) : rows;
  return { data, values };
}

describe('IdNumbering', () => {
  for (const dictionary of [true, false]) {
    it(`numbers ${dictionary ? 'dictionary-encoded' : 'plain'} chunks as a Map would, across chunks`, () => {
      const rand = mulberry32(dictionary ? 3 : 4);
      const pool = Array.from({ length: 500 }, (_, i) => (i % 7 === 3 ? `üser-${i}-🎵` : `u${i}`));
      const numbering = new IdNumbering();
      const ref = new MapNumbering();
      for (const n of [0, 1, 300, 2000, 50]) {
        const { data, values } = chunk(rand, n, pool, dictionary);
        const got = numbering.number(data)!;
        const want = ref.number(values);
        expect(Array.from(got.numbers)).toEqual(want.numbers);
        expect(got.first).toBe(want.first);
        expect(freshIds(got)).toEqual(want.fresh);
        expect(got.numbering).toBe(numbering.id);
      }
      expect(ref.seen.size).toBeGreaterThan(400);
    });
  }

  it('numbers the values of a dictionary (not its rows), null and empty values missing', () => {
    const numbering = new IdNumbering();
    const rows = ['b', 'a', null, '', 'b', 'c', 'a'];
    const got = numbering.number(arrow.vectorFromArray(rows, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())).data[0] as arrow.Data)!;
    // The builder keeps distinct non-null values in first-seen order: b, a, '', c.
    expect(Array.from(got.numbers)).toEqual([0, 1, MISSING_KEY, 2]);
    expect(freshIds(got)).toEqual(['b', 'a', 'c']);
    const plain = numbering.number(arrow.vectorFromArray(['c', 'd', null, 'a'], new arrow.Utf8()).data[0] as arrow.Data)!;
    expect(Array.from(plain.numbers)).toEqual([2, 3, MISSING_KEY, 1]);
    expect(plain.first).toBe(3);
    expect(freshIds(plain)).toEqual(['d']);
  });

  it('leaves integer ids to the reader', () => {
    expect(new IdNumbering().number(arrow.vectorFromArray([1, 2, 3], new arrow.Int32()).data[0] as arrow.Data)).toBeNull();
  });

  it('lets a reader taking a second numbering find the ids its dictionary already has', () => {
    const dict = new Dictionary();
    const column = new IdColumn('events.parquet', 'user_id', new IdTarget(dict));
    for (const numbering of [new IdNumbering(), new IdNumbering()]) {
      const d = arrow.vectorFromArray(['a', 'b', 'a', 'c'], new arrow.Utf8()).data[0] as arrow.Data;
      column.load(d, numbering.number(d));
      expect([0, 1, 2, 3].map((i) => column.resolve(column.keys[i]))).toEqual([0, 1, 0, 2]);
    }
    expect(dict.ids).toEqual(['a', 'b', 'c']);
  });
});
