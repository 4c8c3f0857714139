/**
 * Arrow column chunks (`Data`) → the typed values of an EventLog, reading the chunks' underlying
 * buffers directly: offsets and bytes of strings, key arrays of dictionaries, 32-bit word pairs
 * of 64-bit integers. Values are pre-sliced by Arrow JS; validity bits are at `offset + i`.
 */
import * as arrow from 'apache-arrow';
import { dictionaryValues, fillNulls, integersInto, stringOffsets, validity } from './arrow-id-column.js';
import { IngestError } from './errors.js';
import { UNKNOWN_KIND, type KindNames } from './event-kind.js';
import { isBlank, parseNumberBytes } from './parse-number.js';
import { detectEpochUnit, numericToMs, type TextTimestampParser, type TimestampFormat } from './timestamps.js';

const text = new TextDecoder('utf-8');

type AnyData = arrow.Data<arrow.DataType>;

function unsupported(file: string, name: string, d: AnyData, expected: string): IngestError {
  return new IngestError(`${file}: column '${name}' has type ${d.type}, expected ${expected}`, file);
}

function isString(t: arrow.DataType): boolean {
  return arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t);
}

/** Scratch dictionary keys of a chunk, reused across calls. */
let keyScratch = new Int32Array(0);
function keysOf(d: AnyData): Int32Array {
  if (keyScratch.length < d.length) keyScratch = new Int32Array(d.length);
  integersInto(d, d.length, keyScratch);
  return keyScratch;
}

/**
 * Numbers of a chunk into out[0..length), NaN for nulls. Decimals (as Spark sums write them) are
 * read as doubles; numbers written as text are parsed like a CSV field, and when `bad` is given
 * a text that is not a number (blank is null) sets bad[i] = 1. Returns the kind of numbers read.
 */
export function numbersInto(file: string, name: string, d: AnyData, out: Float64Array, bad?: Uint8Array): 'int' | 'float' | 'timestamp' | 'date' {
  const t = d.type;
  const n = d.length;
  let kind: 'int' | 'float' | 'timestamp' | 'date';
  if (arrow.DataType.isFloat(t) && (t as arrow.Float).precision !== arrow.Precision.HALF) {
    out.set((d.values as unknown as Float32Array | Float64Array).subarray(0, n));
    kind = 'float';
  } else if (arrow.DataType.isInt(t) || arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t)) {
    integersInto(d, n, out);
    kind = arrow.DataType.isTimestamp(t) ? 'timestamp' : arrow.DataType.isDate(t) ? 'date' : 'int';
  } else if (arrow.DataType.isDecimal(t)) {
    decimalsInto(d, n, out);
    kind = 'float';
  } else if (isString(t) || (arrow.DataType.isDictionary(t) && d.dictionary && isString(d.dictionary.type))) {
    numberTextInto(d, n, out, bad);
    kind = 'float';
  } else {
    throw unsupported(file, name, d, 'numbers');
  }
  fillNulls(d, n, out, NaN);
  if (bad) fillNulls(d, n, bad, 0);
  return kind;
}

/** Decimal128/256 values (two's complement, little-endian 32-bit words) ÷ 10^scale. */
function decimalsInto(d: AnyData, n: number, out: Float64Array): void {
  const t = d.type as arrow.Decimal;
  const words = t.bitWidth / 32;
  // Some readers hand the values over as n words rather than n × words: view the whole run.
  const given = d.values as unknown as Uint32Array;
  const v = given.length >= n * words ? given : new Uint32Array(given.buffer, given.byteOffset, n * words);
  const div = 10 ** t.scale;
  for (let i = 0; i < n; i++) {
    const at = i * words;
    let x = v[at + words - 1] | 0; // the top word carries the sign
    for (let w = words - 2; w >= 0; w--) x = x * 4294967296 + v[at + w];
    out[i] = x / div;
  }
}

/** Numbers written as text (plain or dictionary-encoded), parsed as the CSV reader does. */
function numberTextInto(d: AnyData, n: number, out: Float64Array, bad?: Uint8Array): void {
  let src = d;
  let keys: Int32Array | null = null;
  if (arrow.DataType.isDictionary(d.type)) {
    src = dictionaryValues(d);
    keys = keysOf(d);
    fillNulls(d, n, keys, 0); // keys of null rows may be out of range
  }
  const { offsets, step } = stringOffsets(src);
  const bytes = src.values as unknown as Uint8Array;
  const m = keys ? src.length : n;
  const parsed = keys ? new Float64Array(m) : out;
  const wrong = keys ? new Uint8Array(m) : bad;
  for (let j = 0; j < m; j++) {
    const s = offsets[j * step];
    const e = offsets[(j + 1) * step];
    const x = parseNumberBytes(bytes, s, e);
    parsed[j] = x;
    if (wrong) wrong[j] = x !== x && !isBlank(bytes, s, e) ? 1 : 0;
  }
  if (keys) {
    for (let i = 0; i < n; i++) out[i] = parsed[keys[i]];
    if (bad && wrong) for (let i = 0; i < n; i++) bad[i] = wrong[keys[i]];
  }
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
    let keys: Int32Array | null = null;
    if (arrow.DataType.isDictionary(t)) {
      if (!d.dictionary || d.dictionary.data.length !== 1 || !isString(d.dictionary.type)) throw unsupported(file, name, d, 'a timestamp');
      src = d.dictionary.data[0];
      keys = keysOf(d);
    }
    const { offsets, step } = stringOffsets(src);
    const bytes = src.values as unknown as Uint8Array;
    const parse = (j: number): number => state.text.parse(bytes, offsets[j * step], offsets[(j + 1) * step]);
    if (keys) {
      const parsed = new Float64Array(src.length);
      for (let j = 0; j < src.length; j++) parsed[j] = parse(j);
      fillNulls(d, n, keys, 0); // keys of null rows may be out of range
      for (let i = 0; i < n; i++) out[i] = parsed[keys[i]];
    } else {
      for (let i = 0; i < n; i++) out[i] = parse(i);
    }
    state.format ??= state.text.format;
    fillNulls(d, n, out, NaN);
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

export function kindsInto(file: string, name: string, d: AnyData, out: Uint8Array, kindNames: KindNames): KindColumn {
  const t = d.type;
  const n = d.length;
  const valid = validity(d);
  const isNull = (i: number): boolean => valid !== null && ((valid[(d.offset + i) >> 3] >> ((d.offset + i) & 7)) & 1) === 0;
  if (isString(t)) {
    const { offsets, step } = stringOffsets(d);
    const bytes = d.values as unknown as Uint8Array;
    for (let i = 0; i < n; i++) out[i] = kindNames.fromBytes(bytes, offsets[i * step], offsets[(i + 1) * step]);
    fillNulls(d, n, out, UNKNOWN_KIND);
    return {
      codes: out,
      name: (i) => (isNull(i) ? '' : text.decode(bytes.subarray(offsets[i * step], offsets[(i + 1) * step]))),
    };
  }
  if (arrow.DataType.isDictionary(t) && d.dictionary) {
    const names = (d.dictionary.toArray() as (string | null)[]).map((s) => s ?? '');
    const codes = Uint8Array.from(names, (s) => kindNames.fromName(s));
    const keys = keysOf(d).slice(0, n); // kept for name(i) after the scratch is reused
    fillNulls(d, n, keys, 0); // keys of null rows may be out of range
    for (let i = 0; i < n; i++) out[i] = codes[keys[i]];
    fillNulls(d, n, out, UNKNOWN_KIND);
    return { codes: out, name: (i) => (isNull(i) ? '' : names[keys[i]]) };
  }
  throw unsupported(file, name, d, 'strings');
}
