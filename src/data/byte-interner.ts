/**
 * Interns ids given as UTF-8 byte ranges into a Dictionary. A hash table keyed on the bytes maps
 * ids seen before to their index without making a string; only a new id is decoded (and passed
 * through the optional transform, e.g. pseudonymisation, before it reaches the dictionary). The
 * table (ByteTable) is private to one read and dropped with it. A new id that is ASCII becomes a
 * string without TextDecoder (much slower per short string).
 */
import type { Dictionary } from './dictionary.js';
import { ByteTable, hashBytes } from './byte-table.js';

// ignoreBOM keeps a leading U+FEFF in the id: decoding stays one-to-one, so distinct bytes are distinct ids.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Returned by internBytes when the bytes are not valid UTF-8. */
export const INVALID_UTF8 = -1;

/** Longest id decoded char by char when ASCII. */
const SHORT_ASCII = 64;

/** The string of bytes [s, e): ASCII directly, else strict UTF-8 (undefined when invalid). */
export function decodeId(b: Uint8Array, s: number, e: number): string | undefined {
  if (e - s <= SHORT_ASCII) {
    let ascii = true;
    for (let i = s; i < e; i++) if (b[i] >= 0x80) ascii = false;
    if (ascii) {
      let id = '';
      for (let i = s; i < e; i++) id += String.fromCharCode(b[i]);
      return id;
    }
  }
  try {
    return utf8.decode(b.subarray(s, e));
  } catch {
    return undefined;
  }
}

export class ByteInterner {
  private readonly table = new ByteTable();

  constructor(
    readonly dict: Dictionary,
    private readonly transform?: (id: string) => string,
  ) {}

  /**
   * For each of `count` strings (string k is bytes [starts[k·stride], ends[k·stride])), its
   * dictionary index when the id is already known, else `absent`; nothing is added (ByteTable.lookupAll).
   */
  lookupAll(b: Uint8Array, starts: Int32Array, ends: Int32Array, stride: number, count: number, out: Int32Array, absent: number): void {
    this.table.lookupAll(b, starts, ends, stride, count, out, absent);
  }

  /** Dictionary index of the id in bytes [s, e), or INVALID_UTF8. */
  internBytes(b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const v = this.table.find(b, s, e, h);
    if (v >= 0) return v;
    const id = decodeId(b, s, e);
    if (id === undefined) return INVALID_UTF8;
    // While every id of the dictionary came through this table (and no transform could make two
    // ids one), an id new here is new there: appended without a lookup.
    const value = this.transform ? this.dict.intern(this.transform(id)) : this.dict.size === this.table.size ? this.dict.appendNew(id) : this.dict.intern(id);
    this.table.add(b, s, e, h, -1 - v, value);
    return value;
  }
}

/** Interns ids given as numbers (integer id columns of Arrow/Parquet files) by their decimal text. */
export class NumberInterner {
  private readonly map = new Map<number, number>();

  constructor(
    readonly dict: Dictionary,
    private readonly transform?: (id: string) => string,
  ) {}

  intern(v: number): number {
    let i = this.map.get(v);
    if (i === undefined) {
      const id = String(v);
      i = this.dict.intern(this.transform ? this.transform(id) : id);
      this.map.set(v, i);
    }
    return i;
  }
}
