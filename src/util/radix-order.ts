/**
 * Stable ordering of entry indices by a compound key of small non-negative integers, by LSD radix
 * sort of packed keys. A counting sort per key field needs a random read of the key and a random
 * write into one of `buckets` streams per entry; with a million users or tracks both miss the cache
 * at every entry and the sort is bound by memory latency. Here each field is read once, in the
 * given order, and packed into up to 64 bits; each pass then reads the packed keys in sequence and
 * writes into at most 256 streams per array.
 */
import { takeArray, type ArrayPool } from './array-pool.js';

/** One field of a compound key: `key[e]` lies in [0, buckets). */
export interface KeyField {
  readonly key: ArrayLike<number>;
  readonly buckets: number;
}

/** Entries ordered by packed key, with the packed keys themselves (`hi` null when they fit 32 bits). */
export interface PackedOrder {
  order: Int32Array;
  lo: Uint32Array;
  hi: Uint32Array | null;
}

/**
 * Widest digit. Each pass writes to one stream per digit value in each output array, and on a
 * large input every stream sits on its own memory page: with more streams than the TLB holds,
 * each write waits on a page walk. At 100 M entries a pass of 15-bit digits cost twice as much
 * per bit as one of 8 bits (and 11 bits 1.3×). The key's bits are split into equal digits, as
 * few as this allows (a 45-bit key takes six passes of 8 bits).
 */
const MAX_DIGIT_BITS = 8;

/** Bits needed for values in [0, buckets). */
export function bitsFor(buckets: number): number {
  if (!(Number.isInteger(buckets) && buckets >= 0 && buckets <= 2 ** 31)) throw new RangeError(`radix order: buckets must be an integer in [0, 2^31], got ${buckets}`);
  return buckets <= 1 ? 0 : 32 - Math.clz32(buckets - 1);
}

/** Bits of the packed compound key of `fields`. */
export function keyBits(fields: readonly KeyField[]): number {
  return fields.reduce((bits, f) => bits + bitsFor(f.buckets), 0);
}

/**
 * The entries of `order` rearranged so that the compound key (fields[0] most significant) is
 * non-decreasing; entries with equal keys keep their relative order. Every key must lie in
 * [0, buckets) of its field (checked).
 */
export function orderByKeys(order: Int32Array, fields: readonly KeyField[]): Int32Array {
  // Pack the least significant fields first, up to 64 bits per sort; sorting the groups from the
  // least to the most significant with a stable sort gives the compound order.
  let out = order;
  let end = fields.length;
  while (end > 0) {
    let start = end;
    let bits = 0;
    while (start > 0 && bits + bitsFor(fields[start - 1].buckets) <= 64) bits += bitsFor(fields[--start].buckets);
    out = sortPacked(out, fields.slice(start, end)).order;
    end = start;
  }
  return out === order ? order.slice() : out;
}

/**
 * Sorts `order` by the fields packed into at most 64 bits (fields[0] most significant) and returns
 * the sorted packed keys too, so a caller can read its fields back without a random gather.
 * `order` may be a count n, for all entries 0..n-1 in index order (no index array is then made).
 * With `carry` (one 32-bit word per entry, e.g. a Float32Array's bits), those words travel with
 * the entries and come back as `order` in place of the entry indices: a value read after the sort
 * is then read in sequence instead of through the order, at random. The inputs are not modified.
 * With a `pool`, the arrays come from it and the sort's own scratch goes back to it; the caller
 * gives back the result's arrays once done with them.
 */
export function sortPacked(order: Int32Array | number, fields: readonly KeyField[], carry?: Int32Array, pool?: ArrayPool): PackedOrder {
  const entries = typeof order === 'number' ? null : order;
  const n = entries ? entries.length : (order as number);
  if (carry && carry.length !== n) throw new RangeError(`radix order: carry has length ${carry.length}, expected ${n}`);
  const widths = fields.map((f) => bitsFor(f.buckets));
  const total = keyBits(fields);
  if (total > 64) throw new RangeError(`radix order: the fields need ${total} bits, more than 64`);
  // The packed keys are ORed into, so they start zeroed; the scratch that every pass overwrites
  // whole need not be.
  let lo = takeArray(pool, Uint32Array, n);
  let hi = total > 32 ? takeArray(pool, Uint32Array, n) : null;
  let shift = 0;
  for (let f = fields.length - 1; f >= 0; f--) {
    packField(entries, n, fields[f], shift, lo, hi);
    shift += widths[f];
  }
  // What travels with the keys: the carried words, or the entries (null: the index itself). The
  // first pass that moves anything reads it; later passes move their own copy.
  const source = carry ?? entries;
  let idx: Int32Array | null = null;
  let spare: Int32Array | null = null;
  let lo2 = takeArray(pool, Uint32Array, n, { zeroed: false });
  let hi2 = hi ? takeArray(pool, Uint32Array, n, { zeroed: false }) : null;
  const digits = takeArray(pool, Uint8Array, n, { zeroed: false });
  const passes = Math.max(1, Math.ceil(total / MAX_DIGIT_BITS));
  const width = Math.ceil(total / passes);
  const count = new Int32Array(1 << width);
  for (let shift = 0; n > 1 && shift < total; shift += width) {
    count.fill(0);
    if (!digitsOf(lo, hi, shift, width, digits, count)) continue;
    for (let d = 0, sum = 0; d < count.length; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    const out: Int32Array = spare ?? takeArray(pool, Int32Array, n, { zeroed: false });
    scatter(digits, count, lo, lo2, hi, hi2, idx ?? source, out);
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    spare = idx;
    idx = out;
  }
  if (idx === null) {
    // No pass moved anything (at most one entry, or every digit alike): the input order, fresh.
    idx = takeArray(pool, Int32Array, n, { zeroed: false });
    if (source) idx.set(source);
    else identity(idx);
  }
  pool?.give(lo2, hi2, digits, spare);
  return { order: idx, lo, hi };
}

/**
 * One pass: moves each entry's packed key and its index (from `from`, or the index itself when
 * null) to the next place of its digit. One loop per case keeps the loops tight.
 */
function scatter(
  digits: Uint8Array,
  count: Int32Array,
  lo: Uint32Array,
  lo2: Uint32Array,
  hi: Uint32Array | null,
  hi2: Uint32Array | null,
  from: Int32Array | null,
  out: Int32Array,
): void {
  const n = lo.length;
  if (hi && hi2 && from) {
    for (let i = 0; i < n; i++) {
      const p = count[digits[i]]++;
      lo2[p] = lo[i];
      hi2[p] = hi[i];
      out[p] = from[i];
    }
  } else if (hi && hi2) {
    for (let i = 0; i < n; i++) {
      const p = count[digits[i]]++;
      lo2[p] = lo[i];
      hi2[p] = hi[i];
      out[p] = i;
    }
  } else if (from) {
    for (let i = 0; i < n; i++) {
      const p = count[digits[i]]++;
      lo2[p] = lo[i];
      out[p] = from[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = count[digits[i]]++;
      lo2[p] = lo[i];
      out[p] = i;
    }
  }
}

function identity(a: Int32Array): void {
  for (let i = 0; i < a.length; i++) a[i] = i;
}

/**
 * The digit of `width` bits at bit `shift` of every packed key, counted per value; false when all
 * keys share it (the pass would move nothing).
 */
function digitsOf(lo: Uint32Array, hi: Uint32Array | null, shift: number, width: number, digits: Uint8Array, count: Int32Array): boolean {
  const n = lo.length;
  const mask = (1 << width) - 1;
  if (shift + width <= 32) {
    for (let i = 0; i < n; i++) count[(digits[i] = (lo[i] >>> shift) & mask)]++;
  } else if (shift >= 32) {
    const h = hi as Uint32Array;
    for (let i = 0; i < n; i++) count[(digits[i] = (h[i] >>> (shift - 32)) & mask)]++;
  } else {
    const h = hi as Uint32Array;
    for (let i = 0; i < n; i++) count[(digits[i] = ((lo[i] >>> shift) | (h[i] << (32 - shift))) & mask)]++;
  }
  return count[digits[0]] !== n;
}

/** ORs field values (read in `order`, or in index order when null) into the packed keys at bit `shift`. */
function packField(order: Int32Array | null, n: number, field: KeyField, shift: number, lo: Uint32Array, hi: Uint32Array | null): void {
  const { key, buckets } = field;
  if (key.length < n && !order) throw new RangeError(`radix order: a key field has length ${key.length}, expected ${n}`);
  const bits = bitsFor(buckets);
  for (let i = 0; i < n; i++) {
    const e = order ? order[i] : i;
    const v = key[e];
    if (!(v >= 0 && v < buckets && Number.isInteger(v))) throw new RangeError(`radix order: key ${v} of entry ${e} is not an integer in [0, ${buckets})`);
    if (bits === 0) continue;
    if (shift >= 32) (hi as Uint32Array)[i] |= v << (shift - 32);
    else {
      lo[i] |= v << shift;
      if (shift + bits > 32) (hi as Uint32Array)[i] |= v >>> (32 - shift);
    }
  }
}
