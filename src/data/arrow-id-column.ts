/**
 * An id column chunk turned column-wise into two typed arrays, so the row loop does no per-row
 * dispatch: `keys` per row (a dictionary key, the row itself for plain columns, or MISSING_KEY)
 * and `cache` per key (the dictionary index, or UNRESOLVED until the first kept row needs it).
 * Resolving stays lazy and in row order, so dictionary indices are assigned in first-kept order
 * and ids of dropped rows never enter the dictionary. A dictionary-encoded column resolves each
 * distinct value of the chunk once.
 */
import * as arrow from 'apache-arrow';
import { ByteInterner, NumberInterner } from './byte-interner.js';
import type { Dictionary } from './dictionary.js';
import { IngestError } from './errors.js';
import { int64FitsDouble, int64Text } from './int64-text.js';

const TWO32 = 4294967296;

/** keys[i] of a null or empty id. */
export const MISSING_KEY = -1;
/** cache[k] before key k is resolved. */
export const UNRESOLVED = -2;

type AnyData = arrow.Data<arrow.DataType>;

/** Validity bitmap of a chunk, or null when it has no nulls. */
export function validity(d: AnyData): Uint8Array | null {
  return d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null;
}

/** Sets out[i] = v for every null row i in [0, n), skipping whole bytes of valid rows. */
export function fillNulls(d: AnyData, n: number, out: { [i: number]: number }, v: number): void {
  const valid = validity(d);
  if (valid === null) return;
  const off = d.offset;
  for (let i = 0; i < n; ) {
    const j = off + i;
    if ((j & 7) === 0 && i + 8 <= n && valid[j >> 3] === 0xff) {
      i += 8;
      continue;
    }
    if (((valid[j >> 3] >> (j & 7)) & 1) === 0) out[i] = v;
    i++;
  }
}

export function isString(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t);
}

/** The values of a dictionary-encoded chunk as one chunk (several are joined into one). */
export function dictionaryValues(d: AnyData): AnyData {
  const chunks = d.dictionary!.data;
  return chunks.length === 1 ? chunks[0] : (arrow.vectorFromArray(d.dictionary!.toArray() as string[], new arrow.Utf8()).data[0] as AnyData);
}

/** Start offsets of strings as an Int32Array with a stride (LargeUtf8 offsets are read by low words). */
export function stringOffsets(d: AnyData): { offsets: Int32Array; step: number } {
  const o = d.valueOffsets as unknown as Int32Array | BigInt64Array;
  if (o instanceof BigInt64Array) return { offsets: new Int32Array(o.buffer, o.byteOffset, o.length * 2), step: 2 };
  return { offsets: o, step: 1 };
}

/** The first n values of a 64-bit Int chunk as 32-bit words (low word first), or null for narrower ones. */
function int64Words(d: AnyData, n: number): { words: Int32Array; signed: boolean } | null {
  const v = d.values as unknown;
  if (!(v instanceof BigInt64Array || v instanceof BigUint64Array)) return null;
  return { words: new Int32Array(v.buffer, v.byteOffset, n * 2), signed: v instanceof BigInt64Array };
}

/** Integer values of an Int chunk (dictionary keys included) as doubles into out[0, n). */
export function integersInto(d: AnyData, n: number, out: Int32Array | Float64Array): void {
  const wide = int64Words(d, n);
  if (wide) {
    const w = wide.words;
    if (wide.signed) for (let i = 0; i < n; i++) out[i] = w[2 * i + 1] * TWO32 + (w[2 * i] >>> 0);
    else for (let i = 0; i < n; i++) out[i] = (w[2 * i + 1] >>> 0) * TWO32 + (w[2 * i] >>> 0);
    return;
  }
  out.set((d.values as unknown as { subarray(s: number, e: number): ArrayLike<number> }).subarray(0, n));
}

/** Interning targets of one id column across chunks. */
export class IdTarget {
  readonly bytes: ByteInterner;
  readonly numbers: NumberInterner;
  constructor(
    readonly dict: Dictionary,
    readonly transform?: (id: string) => string,
  ) {
    this.bytes = new ByteInterner(dict, transform);
    this.numbers = new NumberInterner(dict, transform);
  }
}

/** Where the values behind the keys live: strings (offsets and bytes) or numbers. */
interface Values {
  offsets: Int32Array;
  step: number;
  bytes: Uint8Array;
  numbers: Float64Array | null;
}

const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;

/**
 * Fixed-size binary ids as text: 16 bytes as a UUID in its canonical form (as UUID columns print
 * elsewhere, so ids match across exports), other widths as lowercase hex.
 */
function fixedBinaryText(d: AnyData): { offsets: Int32Array; bytes: Uint8Array } {
  const width = (d.type as arrow.FixedSizeBinary).byteWidth;
  const given = d.values as unknown as Uint8Array;
  const n = d.length;
  // As for decimals, some readers size the values as n rather than n × width: view the whole run.
  const src = given.length >= n * width ? given : new Uint8Array(given.buffer, given.byteOffset, n * width);
  const uuid = width === 16;
  const len = uuid ? 36 : 2 * width;
  const bytes = new Uint8Array(n * len);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let w = i * len;
    for (let b = 0; b < width; b++) {
      if (uuid && (b === 4 || b === 6 || b === 8 || b === 10)) bytes[w++] = DASH;
      const v = src[i * width + b];
      bytes[w++] = HEX[v >> 4];
      bytes[w++] = HEX[v & 15];
    }
    offsets[i + 1] = (i + 1) * len;
  }
  return { offsets, bytes };
}

export class IdColumn {
  /** Per row: key into `cache`, or MISSING_KEY. */
  keys = new Int32Array(0);
  /** The chunk holds plain strings, whose rows lookUpRows looks up. */
  private rowLookups = false;
  /** Per key: dictionary index (or INVALID_UTF8), or UNRESOLVED. */
  cache = new Int32Array(0);
  private values: Values = { offsets: new Int32Array(0), step: 1, bytes: new Uint8Array(0), numbers: null };
  private numberScratch = new Float64Array(0);

  constructor(
    private readonly file: string,
    private readonly name: string,
    private readonly target: IdTarget,
  ) {}

  /** Takes a new chunk of the column: fills keys for its rows and clears the cache. */
  load(d: AnyData): void {
    const n = d.length;
    this.rowLookups = false;
    if (this.keys.length < n) this.keys = new Int32Array(n);
    const keys = this.keys;
    const t = d.type;
    if (arrow.DataType.isDictionary(t) && d.dictionary) {
      const dict = dictionaryValues(d);
      if (!arrow.DataType.isInt((t as arrow.Dictionary).indices)) throw this.unsupported(d);
      const size = this.loadValues(dict);
      integersInto(d, n, keys);
      fillNulls(d, n, keys, MISSING_KEY);
      // Null or empty dictionary values make their rows missing.
      const empty = new Uint8Array(size);
      let anyEmpty = false;
      for (let k = 0; k < size; k++) if (this.emptyValue(k)) anyEmpty = true, (empty[k] = 1);
      const nullValues = validity(dict);
      if (nullValues) {
        for (let k = 0; k < size; k++) {
          const j = dict.offset + k;
          if (((nullValues[j >> 3] >> (j & 7)) & 1) === 0) anyEmpty = true, (empty[k] = 1);
        }
      }
      if (anyEmpty) for (let i = 0; i < n; i++) if (keys[i] >= 0 && empty[keys[i]] === 1) keys[i] = MISSING_KEY;
      this.clearCache(size);
      // Ids known from earlier chunks: looked up in one pass in dictionary order (cheaper than
      // one by one in row order). Only when the dictionary is not larger than the chunk, as a
      // dictionary shared by many small batches would be looked up again for each.
      const v = this.values;
      if (v.numbers === null && size <= n) this.target.bytes.lookupAll(v.bytes, v.offsets, v.offsets.subarray(v.step), v.step, size, this.cache, UNRESOLVED);
      return;
    }
    this.loadValues(d);
    for (let i = 0; i < n; i++) keys[i] = i;
    if (this.values.numbers === null) for (let i = 0; i < n; i++) if (this.emptyValue(i)) keys[i] = MISSING_KEY;
    fillNulls(d, n, keys, MISSING_KEY);
    this.clearCache(n);
    this.rowLookups = this.values.numbers === null;
  }

  /**
   * Plain strings: every row is a lookup, and with a million ids each one misses the caches;
   * looked up in blocks, the misses overlap, and only new ids are left to resolve one by one. A
   * reader looks up rows [from, to) before it takes them, a slice per event-loop turn (at load, a
   * row group of a million ids held the loop 0.16-0.19 s). A no-op for other chunks; without it,
   * resolve() finds every id all the same, one by one.
   */
  lookUpRows(from: number, to: number): void {
    if (!this.rowLookups) return;
    const v = this.values;
    const starts = v.offsets.subarray(from * v.step);
    this.target.bytes.lookupAll(v.bytes, starts, starts.subarray(v.step), v.step, to - from, this.cache.subarray(from, to), UNRESOLVED);
  }

  /** Dictionary index of key k (INVALID_UTF8 for bad bytes), stored in the cache. */
  resolve(k: number): number {
    const v = this.values;
    const r = v.numbers
      ? this.target.numbers.intern(v.numbers[k])
      : this.target.bytes.internBytes(v.bytes, v.offsets[k * v.step], v.offsets[(k + 1) * v.step]);
    this.cache[k] = r;
    return r;
  }

  private emptyValue(k: number): boolean {
    const v = this.values;
    return v.numbers === null && v.offsets[k * v.step] === v.offsets[(k + 1) * v.step];
  }

  private clearCache(size: number): void {
    if (this.cache.length < size) this.cache = new Int32Array(size);
    this.cache.fill(UNRESOLVED, 0, size);
  }

  /** Points `values` at a chunk of strings or integers; returns its length. */
  private loadValues(d: AnyData): number {
    const t = d.type;
    const n = d.length;
    if (isString(t)) {
      const { offsets, step } = stringOffsets(d);
      this.values = { offsets, step, bytes: d.values as unknown as Uint8Array, numbers: null };
    } else if (arrow.DataType.isInt(t)) {
      const wide = int64Words(d, n);
      if (wide && !int64FitsDouble(wide.words, n, wide.signed)) {
        this.values = { ...int64Text(wide.words, n, wide.signed), step: 1, numbers: null };
        return n;
      }
      if (this.numberScratch.length < n) this.numberScratch = new Float64Array(n);
      integersInto(d, n, this.numberScratch);
      this.values = { offsets: this.values.offsets, step: 1, bytes: this.values.bytes, numbers: this.numberScratch };
    } else if (arrow.DataType.isFixedSizeBinary(t)) {
      this.values = { ...fixedBinaryText(d), step: 1, numbers: null };
    } else {
      throw this.unsupported(d);
    }
    return n;
  }

  private unsupported(d: AnyData): IngestError {
    return new IngestError(`${this.file}: column '${this.name}' has type ${d.type}, expected strings, integers or fixed-size binary (UUIDs)`, this.file);
  }
}
