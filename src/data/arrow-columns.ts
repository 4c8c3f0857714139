/**
 * Arrow column chunks (`Data`) → the typed values of an EventLog, reading the chunks' underlying
 * buffers directly: offsets and bytes of strings, key arrays of dictionaries, 32-bit word pairs
 * of 64-bit integers. Values are pre-sliced by Arrow JS; validity bits are at `offset + i`.
 */
import * as arrow from 'apache-arrow';
import { ByteInterner, NumberInterner } from './byte-interner.js';
import type { Dictionary } from './dictionary.js';
import { IngestError } from './errors.js';
import { UNKNOWN_KIND, kindFromBytes, kindFromName } from './event-kind.js';
import { detectEpochUnit, numericToMs, type TextTimestampParser, type TimestampFormat } from './timestamps.js';

const text = new TextDecoder('utf-8');
const TWO32 = 4294967296;

type AnyData = arrow.Data<arrow.DataType>;

/** Validity bitmap of a chunk, or null when it has no nulls. */
function validity(d: AnyData): Uint8Array | null {
  return d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0 ? d.nullBitmap : null;
}

function isNullAt(valid: Uint8Array | null, off: number, i: number): boolean {
  if (valid === null) return false;
  const j = off + i;
  return ((valid[j >> 3] >> (j & 7)) & 1) === 0;
}

function unsupported(file: string, name: string, d: AnyData, expected: string): IngestError {
  return new IngestError(`${file}: column '${name}' has type ${d.type}, expected ${expected}`, file);
}

/** String offsets of a Utf8 (Int32Array) or LargeUtf8 (BigInt64Array, read by low words) chunk. */
function stringOffsets(d: AnyData): { offsets: Int32Array; step: number } {
  const o = d.valueOffsets as unknown as Int32Array | BigInt64Array;
  if (o instanceof BigInt64Array) return { offsets: new Int32Array(o.buffer, o.byteOffset, o.length * 2), step: 2 };
  return { offsets: o, step: 1 };
}

function isString(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t);
}

/** Integer values of an Int chunk as doubles (exact below 2^53), by index. */
function intReader(d: AnyData): (i: number) => number {
  const t = d.type as arrow.Int;
  const v = d.values as unknown as ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; length: number };
  if (t.bitWidth === 64) {
    const w = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
    return t.isSigned ? (i) => w[2 * i + 1] * TWO32 + (w[2 * i] >>> 0) : (i) => (w[2 * i + 1] >>> 0) * TWO32 + (w[2 * i] >>> 0);
  }
  return (i) => v[i];
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

/** Per-row access to one chunk of an id column; interning happens only for kept rows. */
export interface IdReader {
  /** True for a null or empty id. */
  missing(i: number): boolean;
  /** Dictionary index of row i's id, or -1 (INVALID_UTF8). */
  intern(i: number): number;
}

class Utf8Ids implements IdReader {
  private readonly offsets: Int32Array;
  private readonly step: number;
  private readonly values: Uint8Array;
  private readonly valid: Uint8Array | null;
  private readonly off: number;
  constructor(d: AnyData, private readonly target: IdTarget) {
    ({ offsets: this.offsets, step: this.step } = stringOffsets(d));
    this.values = d.values as unknown as Uint8Array;
    this.valid = validity(d);
    this.off = d.offset;
  }
  missing(i: number): boolean {
    return isNullAt(this.valid, this.off, i) || this.offsets[i * this.step] === this.offsets[(i + 1) * this.step];
  }
  intern(i: number): number {
    return this.target.bytes.internBytes(this.values, this.offsets[i * this.step], this.offsets[(i + 1) * this.step]);
  }
}

class IntIds implements IdReader {
  private readonly get: (i: number) => number;
  private readonly valid: Uint8Array | null;
  private readonly off: number;
  constructor(d: AnyData, private readonly target: IdTarget) {
    this.get = intReader(d);
    this.valid = validity(d);
    this.off = d.offset;
  }
  missing(i: number): boolean {
    return isNullAt(this.valid, this.off, i);
  }
  intern(i: number): number {
    return this.target.numbers.intern(this.get(i));
  }
}

class DictionaryIds implements IdReader {
  private readonly keys: (i: number) => number;
  private readonly valid: Uint8Array | null;
  private readonly off: number;
  private readonly cache: Int32Array;
  constructor(
    d: AnyData,
    private readonly values: IdReader,
    size: number,
  ) {
    this.keys = intReader(d);
    this.valid = validity(d);
    this.off = d.offset;
    this.cache = new Int32Array(size).fill(-2);
  }
  missing(i: number): boolean {
    return isNullAt(this.valid, this.off, i) || this.values.missing(this.keys(i));
  }
  intern(i: number): number {
    const k = this.keys(i);
    let v = this.cache[k];
    if (v === -2) {
      v = this.values.intern(k);
      this.cache[k] = v;
    }
    return v;
  }
}

/** Reads an id column chunk: strings, dictionary-encoded strings or integers. */
export function idReader(file: string, name: string, d: AnyData, target: IdTarget): IdReader {
  const t = d.type;
  if (isString(t)) return new Utf8Ids(d, target);
  if (arrow.DataType.isInt(t)) return new IntIds(d, target);
  if (arrow.DataType.isDictionary(t) && d.dictionary) {
    const chunks = d.dictionary.data;
    const dictData = chunks.length === 1 ? chunks[0] : (arrow.vectorFromArray(d.dictionary.toArray() as string[], new arrow.Utf8()).data[0] as AnyData);
    return new DictionaryIds(d, idReader(file, name, dictData, target), d.dictionary.length);
  }
  throw unsupported(file, name, d, 'strings or integers');
}

/** Numbers of a chunk into out[0..length), NaN for nulls. Returns the kind of numbers read. */
export function numbersInto(file: string, name: string, d: AnyData, out: Float64Array): 'int' | 'float' | 'timestamp' | 'date' {
  const t = d.type;
  const n = d.length;
  let kind: 'int' | 'float' | 'timestamp' | 'date';
  if (arrow.DataType.isFloat(t) && (t as arrow.Float).precision !== arrow.Precision.HALF) {
    const v = d.values as unknown as Float32Array | Float64Array;
    for (let i = 0; i < n; i++) out[i] = v[i];
    kind = 'float';
  } else if (arrow.DataType.isInt(t) || arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t)) {
    const v = d.values as unknown as { buffer: ArrayBufferLike; byteOffset: number; length: number };
    const wide = v instanceof BigInt64Array || v instanceof BigUint64Array;
    if (wide) {
      const w = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      const signed = !(v instanceof BigUint64Array);
      for (let i = 0; i < n; i++) out[i] = (signed ? w[2 * i + 1] : w[2 * i + 1] >>> 0) * TWO32 + (w[2 * i] >>> 0);
    } else {
      const a = v as unknown as ArrayLike<number>;
      for (let i = 0; i < n; i++) out[i] = a[i];
    }
    kind = arrow.DataType.isTimestamp(t) ? 'timestamp' : arrow.DataType.isDate(t) ? 'date' : 'int';
  } else {
    throw unsupported(file, name, d, 'numbers');
  }
  const valid = validity(d);
  if (valid) for (let i = 0; i < n; i++) if (isNullAt(valid, d.offset, i)) out[i] = NaN;
  return kind;
}

const TIMESTAMP_FORMAT: Record<number, TimestampFormat> = {
  [arrow.TimeUnit.SECOND]: 'timestamp_s',
  [arrow.TimeUnit.MILLISECOND]: 'timestamp_ms',
  [arrow.TimeUnit.MICROSECOND]: 'timestamp_us',
  [arrow.TimeUnit.NANOSECOND]: 'timestamp_ns',
};

/** Per-file state of the timestamp column: the detected format and the text parser. */
export interface TimeState {
  format: TimestampFormat | undefined;
  text: TextTimestampParser;
}

/** Timestamps of a chunk as epoch ms into out, NaN for nulls and values that do not parse. */
export function timesInto(file: string, name: string, d: AnyData, out: Float64Array, state: TimeState): void {
  const t = d.type;
  const n = d.length;
  if (isString(t) || arrow.DataType.isDictionary(t)) {
    let src = d;
    let keys: ((i: number) => number) | null = null;
    if (arrow.DataType.isDictionary(t)) {
      if (!d.dictionary || d.dictionary.data.length !== 1 || !isString(d.dictionary.type)) throw unsupported(file, name, d, 'a timestamp');
      src = d.dictionary.data[0];
      keys = intReader(d);
    }
    const { offsets, step } = stringOffsets(src);
    const bytes = src.values as unknown as Uint8Array;
    const parse = (j: number): number => state.text.parse(bytes, offsets[j * step], offsets[(j + 1) * step]);
    if (keys) {
      const parsed = new Float64Array(src.length);
      for (let j = 0; j < src.length; j++) parsed[j] = parse(j);
      for (let i = 0; i < n; i++) out[i] = parsed[keys(i)];
    } else {
      for (let i = 0; i < n; i++) out[i] = parse(i);
    }
    state.format ??= state.text.format;
    const valid = validity(d);
    if (valid) for (let i = 0; i < n; i++) if (isNullAt(valid, d.offset, i)) out[i] = NaN;
    return;
  }
  const kind = numbersInto(file, name, d, out);
  let format: Exclude<TimestampFormat, 'iso8601'>;
  if (kind === 'timestamp') {
    format = TIMESTAMP_FORMAT[(t as arrow.Timestamp).unit] as Exclude<TimestampFormat, 'iso8601'>;
  } else if (kind === 'date') {
    const dayUnit = (t as arrow.Date_).unit === arrow.DateUnit.DAY;
    if (dayUnit) for (let i = 0; i < n; i++) out[i] *= 86400000;
    format = 'timestamp_ms';
  } else {
    if (state.format === undefined || state.format === 'iso8601') {
      let i = 0;
      while (i < n && !Number.isFinite(out[i])) i++;
      if (i === n) return; // nothing to detect from yet; every value is NaN
      state.format = detectEpochUnit(out[i]);
    }
    format = state.format as Exclude<TimestampFormat, 'iso8601'>;
  }
  state.format ??= format;
  if (format === 'timestamp_ms' || format === 'epoch_ms') return;
  for (let i = 0; i < n; i++) out[i] = numericToMs(out[i], format);
}

/** Event kinds of a chunk: codes per row (UNKNOWN_KIND for unknown names) and raw names on demand. */
export interface KindColumn {
  codes: Uint8Array;
  name(i: number): string;
}

export function kindsInto(file: string, name: string, d: AnyData, out: Uint8Array): KindColumn {
  const t = d.type;
  const n = d.length;
  const valid = validity(d);
  if (isString(t)) {
    const { offsets, step } = stringOffsets(d);
    const bytes = d.values as unknown as Uint8Array;
    for (let i = 0; i < n; i++) out[i] = kindFromBytes(bytes, offsets[i * step], offsets[(i + 1) * step]);
    if (valid) for (let i = 0; i < n; i++) if (isNullAt(valid, d.offset, i)) out[i] = UNKNOWN_KIND;
    return {
      codes: out,
      name: (i) => (isNullAt(valid, d.offset, i) ? '' : text.decode(bytes.subarray(offsets[i * step], offsets[(i + 1) * step]))),
    };
  }
  if (arrow.DataType.isDictionary(t) && d.dictionary) {
    const names = (d.dictionary.toArray() as (string | null)[]).map((s) => s ?? '');
    const codes = names.map(kindFromName);
    const keys = intReader(d);
    for (let i = 0; i < n; i++) out[i] = isNullAt(valid, d.offset, i) ? UNKNOWN_KIND : codes[keys(i)];
    return { codes: out, name: (i) => (isNullAt(valid, d.offset, i) ? '' : names[keys(i)]) };
  }
  throw unsupported(file, name, d, 'strings');
}
