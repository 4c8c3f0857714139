/**
 * Interns ids given as UTF-8 byte ranges into a Dictionary. A hash table keyed on the bytes maps
 * ids seen before to their index without making a string; only a new id is decoded (and passed
 * through the optional transform, e.g. pseudonymisation, before it reaches the dictionary). The
 * table is private to one read and dropped with it.
 *
 * Layout for few cache misses per lookup: each slot holds (hash, value, start, length) side by
 * side, so a probe rejects other keys and finds the value without leaving the slot array, and
 * the bytes of a match are compared in one arena. A new id that is ASCII becomes a string
 * without TextDecoder (much slower per short string).
 */
import type { Dictionary } from './dictionary.js';

// ignoreBOM keeps a leading U+FEFF in the id: decoding stays one-to-one, so distinct bytes are distinct ids.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Returned by internBytes when the bytes are not valid UTF-8. */
export const INVALID_UTF8 = -1;

/** Longest id decoded char by char when ASCII. */
const SHORT_ASCII = 64;

/** The string of bytes [s, e): ASCII directly, else strict UTF-8 (undefined when invalid). */
function decodeId(b: Uint8Array, s: number, e: number): string | undefined {
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

/** FNV-1a of bytes [s, e), with the high half folded in: FNV's low bits alone are weak for short keys that differ in the last byte. */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h ^ (h >>> 16);
}

const SLOT = 4;

export class ByteInterner {
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private keys = 0;
  /** Per slot: hash, dictionary index, start in arena, length + 1 (0 when empty). */
  private slots = new Int32Array(SLOT * 2048);
  private mask = 2047;

  constructor(
    readonly dict: Dictionary,
    private readonly transform?: (id: string) => string,
  ) {}

  /**
   * For each of `count` strings (string k is bytes [starts[k·stride], ends[k·stride])), its
   * dictionary index when the id is already known, else `absent`; nothing is added. Hashes a
   * block of strings and touches their slots, then the stored bytes those slots point to, before
   * probing, so the cache misses of a block overlap instead of coming one after another.
   */
  lookupAll(b: Uint8Array, starts: Int32Array, ends: Int32Array, stride: number, count: number, out: Int32Array, absent: number): void {
    const BLOCK = 64;
    const hashes = new Int32Array(BLOCK);
    let touched = 0;
    for (let k0 = 0; k0 < count; k0 += BLOCK) {
      const k1 = Math.min(count, k0 + BLOCK);
      const slots = this.slots;
      const arena = this.arena;
      const mask = this.mask;
      for (let k = k0; k < k1; k++) hashes[k - k0] = hashBytes(b, starts[k * stride], ends[k * stride]);
      // Tight loops of independent loads: many misses in flight at once.
      for (let j = 0; j < k1 - k0; j++) touched ^= slots[SLOT * (hashes[j] & mask)];
      for (let j = 0; j < k1 - k0; j++) {
        const at = SLOT * (hashes[j] & mask);
        if (slots[at] === hashes[j]) touched ^= arena[slots[at + 2]];
      }
      for (let k = k0; k < k1; k++) {
        const v = this.find(b, starts[k * stride], ends[k * stride], hashes[k - k0]);
        out[k] = v >= 0 ? v : absent;
      }
    }
    this.touched = touched;
  }

  /** Keeps the touching loads of lookupAll from being optimised away. */
  private touched = 0;

  /** Dictionary index of the id in bytes [s, e) with hash h, or -1 - (the free slot) when absent. */
  private find(b: Uint8Array, s: number, e: number, h: number): number {
    const len = e - s;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const at = SLOT * slot;
      const l = slots[at + 3];
      if (l === 0) return -1 - slot;
      if (slots[at] === h && l === len + 1) {
        const arena = this.arena;
        const ks = slots[at + 2];
        let i = 0;
        while (i < len && arena[ks + i] === b[s + i]) i++;
        if (i === len) return slots[at + 1];
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Dictionary index of the id in bytes [s, e), or INVALID_UTF8. */
  internBytes(b: Uint8Array, s: number, e: number): number {
    const h = hashBytes(b, s, e);
    const v = this.find(b, s, e, h);
    return v >= 0 ? v : this.insert(b, s, e, h, -1 - v);
  }

  private insert(b: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const id = decodeId(b, s, e);
    if (id === undefined) return INVALID_UTF8;
    // While every id of the dictionary came through this table (and no transform could make two
    // ids one), an id new here is new there: appended without a lookup.
    const value = this.transform ? this.dict.intern(this.transform(id)) : this.dict.size === this.keys ? this.dict.appendNew(id) : this.dict.intern(id);
    const len = e - s;
    if (this.arenaUsed + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    const start = this.arenaUsed;
    this.arena.set(b.subarray(s, e), start);
    this.arenaUsed += len;
    const at = SLOT * slot;
    this.slots[at] = h;
    this.slots[at + 1] = value;
    this.slots[at + 2] = start;
    this.slots[at + 3] = len + 1;
    this.keys++;
    if (this.keys * 2 > this.mask + 1) this.rehash();
    return value;
  }

  private rehash(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(SLOT * size);
    const mask = size - 1;
    for (let o = 0; o < old.length; o += SLOT) {
      if (old[o + 3] === 0) continue;
      let slot = old[o] & mask;
      while (slots[SLOT * slot + 3] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(o, o + SLOT), SLOT * slot);
    }
    this.slots = slots;
    this.mask = mask;
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
