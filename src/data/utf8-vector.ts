/** Arrow string columns built from JS strings. */
import * as arrow from 'apache-arrow';
import { sharedArray } from '../util/shared-memory.js';
import { inSlicesPerTurn } from '../util/turns.js';

/** Strings as Arrow lays them out: UTF-8 bytes end to end, string i at bytes[offsets[i], offsets[i + 1]). */
export interface Utf8Strings {
  offsets: Int32Array;
  bytes: Uint8Array;
}

/** `buf` when it has room for `need` bytes after its first `used`, else a copy twice as large (or large enough). */
function withRoom(buf: Uint8Array, used: number, need: number): Uint8Array {
  if (used + need <= buf.length) return buf;
  const grown = new Uint8Array(Math.max(buf.length * 2, used + need));
  grown.set(buf.subarray(0, used));
  return grown;
}

/** Where the encoder's arrays live: the heap, or shared memory for another thread to read in place. */
export interface Utf8Options {
  shared?: boolean;
}

/** Appends strings to one UTF-8 buffer (grown by doubling) and records where each ends. */
class Utf8Encoder {
  private readonly offsets: Int32Array;
  /** `bytes` as a Buffer: `write` encodes in place, where TextEncoder.encodeInto needed a view per string. */
  private bytes: Buffer;
  private end = 0;

  constructor(count: number, private readonly shared = false) {
    this.offsets = shared ? sharedArray(Int32Array, count + 1) : new Int32Array(count + 1);
    this.bytes = this.allocate(Math.max(16, count * 8));
  }

  /** Encodes values[from..to), which are strings from..to of the result. */
  add(values: readonly string[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const v = values[i];
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      if (this.end + 3 * v.length > this.bytes.length) this.grow(3 * v.length);
      this.end += this.bytes.write(v, this.end, 'utf8');
      this.offsets[i + 1] = this.end;
    }
  }

  private allocate(size: number): Buffer {
    if (!this.shared) return Buffer.alloc(size);
    const a = sharedArray(Uint8Array, size);
    return Buffer.from(a.buffer, a.byteOffset, a.length);
  }

  /** Doubles `bytes` (or more, for room for `need` further bytes), in the same kind of memory. */
  private grow(need: number): void {
    const grown = this.allocate(Math.max(this.bytes.length * 2, this.end + need));
    this.bytes.copy(grown, 0, 0, this.end);
    this.bytes = grown;
  }

  finish(): Utf8Strings {
    return { offsets: this.offsets, bytes: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.end) };
  }
}

/** The strings' UTF-8 layout, encoded at once. */
export function utf8Strings(values: readonly string[]): Utf8Strings {
  const e = new Utf8Encoder(values.length);
  e.add(values, 0, values.length);
  return e.finish();
}

/**
 * The strings' UTF-8 layout, `perTurn` strings per event-loop turn: for a million ids on a
 * service's thread (a model being saved), where encoding them at once would stall its calls.
 * With `shared`, both arrays are written in shared memory directly (no copy after encoding).
 */
export async function utf8StringsInTurns(values: readonly string[], perTurn = 1 << 13, o: Utf8Options = {}): Promise<Utf8Strings> {
  const e = new Utf8Encoder(values.length, o.shared);
  await inSlicesPerTurn(values.length, perTurn, (from, to) => e.add(values, from, to));
  return e.finish();
}

/** A Utf8 vector over an encoded layout (no copy). */
export function utf8VectorOf(s: Utf8Strings): arrow.Vector<arrow.Utf8> {
  return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: s.offsets.length - 1, nullCount: 0, valueOffsets: s.offsets, data: s.bytes }));
}

/**
 * A Utf8 vector of the strings, encoded into one buffer (building it value by value through
 * arrow's builder took seconds for a million ids).
 */
export function utf8Vector(values: readonly string[]): arrow.Vector<arrow.Utf8> {
  return utf8VectorOf(utf8Strings(values));
}

/** As utf8Vector, with null where a value is null (a validity bitmap; the value's bytes are empty). */
export function nullableUtf8Vector(values: readonly (string | null)[]): arrow.Vector<arrow.Utf8> {
  const n = values.length;
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] === null) nulls++;
    else valid[i >> 3] |= 1 << (i & 7);
  }
  const s = utf8Strings(values.map((v) => v ?? ''));
  return arrow.makeVector(arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: nulls, nullBitmap: nulls > 0 ? valid : undefined, valueOffsets: s.offsets, data: s.bytes }));
}

/**
 * Strings appended as UTF-8 pieces (an id's bytes made once and appended for each of its rows),
 * for columns built without a JS string per value.
 */
export class Utf8Pieces {
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private count = 0;

  constructor(expectedCount: number, bytesPerValue = 16) {
    this.offsets = new Int32Array(expectedCount + 1);
    this.bytes = new Uint8Array(Math.max(16, expectedCount * bytesPerValue));
  }

  get length(): number {
    return this.count;
  }

  push(piece: Uint8Array): void {
    if (this.count + 2 > this.offsets.length) {
      const grown = new Int32Array(2 * this.offsets.length);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    const at = this.offsets[this.count];
    this.bytes = withRoom(this.bytes, at, piece.length);
    // Ids are a few bytes: a loop beats a native copy call for each.
    const b = this.bytes;
    for (let k = 0; k < piece.length; k++) b[at + k] = piece[k];
    this.offsets[++this.count] = at + piece.length;
  }

  finish(): Utf8Strings {
    return { offsets: this.offsets.subarray(0, this.count + 1), bytes: this.bytes.subarray(0, this.offsets[this.count]) };
  }
}

/**
 * Gathers the values of Utf8 (or LargeUtf8) columns, a row group after another, into one UTF-8
 * layout without making a JS string per value (a model's million ids then cross to another
 * thread as two buffers, and the receiver makes the strings a slice per turn).
 */
export class Utf8Collector {
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private count = 0;
  private end = 0;

  constructor(expectedCount = 0) {
    this.offsets = new Int32Array(expectedCount + 1);
    this.bytes = new Uint8Array(Math.max(16, expectedCount * 8));
  }

  append(column: arrow.Vector<arrow.Utf8 | arrow.LargeUtf8>): void {
    for (const chunk of column.data) {
      // arrow-js slices a chunk's value offsets with it: offsets[i] is row i of the chunk whatever its `offset`.
      const o = chunk.valueOffsets as Int32Array | BigInt64Array;
      const n = chunk.length;
      const first = Number(o[0]);
      const size = Number(o[n]) - first;
      this.reserve(n, size);
      this.bytes.set((chunk.values as Uint8Array).subarray(first, first + size), this.end);
      const base = this.end - first;
      const out = this.offsets;
      if (o instanceof Int32Array) for (let i = 1; i <= n; i++) out[this.count + i] = base + o[i];
      else for (let i = 1; i <= n; i++) out[this.count + i] = base + Number(o[i]);
      this.count += n;
      this.end += size;
    }
  }

  private reserve(values: number, bytes: number): void {
    if (this.count + values + 1 > this.offsets.length) {
      const grown = new Int32Array(Math.max(this.offsets.length * 2, this.count + values + 1));
      grown.set(this.offsets.subarray(0, this.count + 1));
      this.offsets = grown;
    }
    if (this.end + bytes > 2 ** 31 - 1) throw new RangeError('more than 2 GiB of strings in one column');
    this.bytes = withRoom(this.bytes, this.end, bytes);
  }

  finish(): Utf8Strings {
    return { offsets: this.offsets.subarray(0, this.count + 1), bytes: this.bytes.subarray(0, this.end) };
  }
}
