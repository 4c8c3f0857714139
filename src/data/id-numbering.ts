/**
 * String ids of a Parquet input numbered on its decoding thread, in the order first seen there.
 * Finding each id of a row group among those seen before (a million ids miss the caches on every
 * lookup) was the largest cost of a large read on the reader's thread, while the decoding thread
 * waited; here it runs beside the reader. The reader still takes each row's key into the chunk's
 * values, and maps numbers to its dictionary's indices lazily, in row order of the rows it keeps
 * (IdColumn), so its dictionaries come out as before: numbers only stand for distinct byte strings.
 * One numbering per id column lives as long as the decoding thread, across the parts of an input.
 */
import { threadId } from 'node:worker_threads';
import * as arrow from 'apache-arrow';
import { ByteTable, hashBytes } from './byte-table.js';
import { dictionaryValues, fillNulls, isString, MISSING_KEY, stringOffsets } from './arrow-id-column.js';

type AnyData = arrow.Data<arrow.DataType>;

/** The values of a chunk of an id column as numbers, and the ids it numbered first. */
export interface NumberedIds {
  /**
   * Per value (of the dictionary of a dictionary-encoded chunk, else per row): the id's number,
   * or MISSING_KEY when null or empty.
   */
  numbers: Int32Array;
  /** The number of the first id new in this chunk; the new ones follow in order. */
  first: number;
  /** UTF-8 bytes of the new ids, id j being bytes [offsets[j], offsets[j + 1]). */
  bytes: Uint8Array;
  offsets: Int32Array;
  /** Which numbering gave them (a reader keeps its map of numbers for one numbering only). */
  numbering: string;
}

let made = 0;

export class IdNumbering {
  private readonly table = new ByteTable();
  /** Distinct among the numberings of a process. */
  readonly id = `${threadId}:${made++}`;

  /** Numbers the values of a chunk of strings (or dictionary-encoded strings); null for other types, which the reader resolves itself. */
  number(d: AnyData): NumberedIds | null {
    const t = d.type;
    const values = arrow.DataType.isDictionary(t) && d.dictionary ? dictionaryValues(d) : d;
    if (!isString(values.type)) return null;
    const numbers = new Int32Array(values.length);
    return { numbers, ...this.numberStrings(values, numbers) };
  }

  /** Numbers of the strings of `d` into `out` (MISSING_KEY for null and empty ones); the new ids' bytes. */
  private numberStrings(d: AnyData, out: Int32Array): Omit<NumberedIds, 'numbers'> {
    const n = d.length;
    const { offsets, step } = stringOffsets(d);
    const bytes = d.values as unknown as Uint8Array;
    const table = this.table;
    const first = table.size;
    table.lookupAll(bytes, offsets, offsets.subarray(step), step, n, out, MISSING_KEY);
    let freshCount = 0;
    let freshBytes = 0;
    const freshAt = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      if (out[k] !== MISSING_KEY) continue;
      const s = offsets[k * step];
      const e = offsets[(k + 1) * step];
      if (s === e) continue;
      // Looked up again: the same id may have been added a few strings before.
      const h = hashBytes(bytes, s, e);
      const v = table.find(bytes, s, e, h);
      if (v >= 0) {
        out[k] = v;
        continue;
      }
      out[k] = table.size;
      table.add(bytes, s, e, h, -1 - v, table.size);
      freshAt[freshCount++] = k;
      freshBytes += e - s;
    }
    fillNulls(d, n, out, MISSING_KEY);
    const freshOffsets = new Int32Array(freshCount + 1);
    const fresh = new Uint8Array(freshBytes);
    for (let j = 0, w = 0; j < freshCount; j++) {
      const k = freshAt[j];
      const s = offsets[k * step];
      const e = offsets[(k + 1) * step];
      fresh.set(bytes.subarray(s, e), w);
      w += e - s;
      freshOffsets[j + 1] = w;
    }
    return { first, bytes: fresh, offsets: freshOffsets, numbering: this.id };
  }
}
