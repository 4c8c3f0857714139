/**
 * Interns ids given as UTF-8 byte ranges into a Dictionary. A hash table keyed on the bytes maps
 * ids seen before to their index without making a string; only a new id is decoded (and passed
 * through the optional transform, e.g. pseudonymisation, before it reaches the dictionary). The
 * table is private to one read and dropped with it.
 *
 * Layout for few cache misses per lookup: each slot holds (hash, key + 1) side by side, so a probe
 * rejects other keys without leaving the slot array; each key holds (start, length, value)
 * side by side; key bytes live in one arena.
 */
import type { Dictionary } from './dictionary.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Returned by internBytes when the bytes are not valid UTF-8. */
export const INVALID_UTF8 = -1;

export class ByteInterner {
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /** Per key: start in arena, length, dictionary index. */
  private keyInfo = new Int32Array(3 * 1024);
  private keys = 0;
  /** Per slot: hash, key + 1 (0 when empty). */
  private slots = new Int32Array(2 * 2048);
  private mask = 2047;

  constructor(
    readonly dict: Dictionary,
    private readonly transform?: (id: string) => string,
  ) {}

  /** Dictionary index of the id in bytes [s, e), or INVALID_UTF8. */
  internBytes(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    h ^= h >>> 16; // FNV's low bits alone are weak for short keys that differ in the last byte
    const len = e - s;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const k = slots[2 * slot + 1];
      if (k === 0) break;
      if (slots[2 * slot] === h) {
        const info = this.keyInfo;
        const key = 3 * (k - 1);
        if (info[key + 1] === len) {
          const arena = this.arena;
          const ks = info[key];
          let i = 0;
          while (i < len && arena[ks + i] === b[s + i]) i++;
          if (i === len) return info[key + 2];
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(b, s, e, h, slot);
  }

  private insert(b: Uint8Array, s: number, e: number, h: number, slot: number): number {
    let id: string;
    try {
      id = utf8.decode(b.subarray(s, e));
    } catch {
      return INVALID_UTF8;
    }
    const value = this.dict.intern(this.transform ? this.transform(id) : id);
    const len = e - s;
    if (this.arenaUsed + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    const at = this.arenaUsed;
    for (let i = 0; i < len; i++) this.arena[at + i] = b[s + i];
    this.arenaUsed += len;
    if (3 * (this.keys + 1) > this.keyInfo.length) {
      const grown = new Int32Array(this.keyInfo.length * 2);
      grown.set(this.keyInfo);
      this.keyInfo = grown;
    }
    const key = this.keys++;
    this.keyInfo[3 * key] = at;
    this.keyInfo[3 * key + 1] = len;
    this.keyInfo[3 * key + 2] = value;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = key + 1;
    if (this.keys * 2 > this.mask + 1) this.rehash();
    return value;
  }

  private rehash(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(2 * size);
    const mask = size - 1;
    for (let s = 0; s < old.length; s += 2) {
      const k = old[s + 1];
      if (k === 0) continue;
      let slot = old[s] & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[s];
      slots[2 * slot + 1] = k;
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
