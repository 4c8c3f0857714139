/**
 * Interns ids given as UTF-8 byte ranges into a Dictionary. A hash table keyed on the bytes maps
 * ids seen before to their index without making a string; only a new id is decoded (and passed
 * through the optional transform, e.g. pseudonymisation, before it reaches the dictionary). The
 * table is private to one read and dropped with it.
 */
import type { Dictionary } from './dictionary.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Returned by internBytes when the bytes are not valid UTF-8. */
export const INVALID_UTF8 = -1;

export class ByteInterner {
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  private keyStart = new Int32Array(1024);
  private keyLen = new Int32Array(1024);
  private keyHash = new Int32Array(1024);
  private keyValue = new Int32Array(1024);
  private keys = 0;
  /** Open addressing: slot → key number + 1, 0 when empty. */
  private slots = new Int32Array(2048);
  private mask = 2047;

  constructor(
    readonly dict: Dictionary,
    private readonly transform?: (id: string) => string,
  ) {}

  /** Dictionary index of the id in bytes [s, e), or INVALID_UTF8. */
  internBytes(b: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const len = e - s;
    const arena = this.arena;
    let slot = h & this.mask;
    for (;;) {
      const k = this.slots[slot];
      if (k === 0) break;
      const key = k - 1;
      if (this.keyHash[key] === h && this.keyLen[key] === len) {
        const ks = this.keyStart[key];
        let i = 0;
        while (i < len && arena[ks + i] === b[s + i]) i++;
        if (i === len) return this.keyValue[key];
      }
      slot = (slot + 1) & this.mask;
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
    this.arena.set(b.subarray(s, e), this.arenaUsed);
    if (this.keys === this.keyStart.length) this.growKeys();
    const key = this.keys++;
    this.keyStart[key] = this.arenaUsed;
    this.keyLen[key] = len;
    this.keyHash[key] = h;
    this.keyValue[key] = value;
    this.arenaUsed += len;
    this.slots[slot] = key + 1;
    if (this.keys * 2 > this.slots.length) this.rehash();
    return value;
  }

  private growKeys(): void {
    const n = this.keyStart.length * 2;
    const grow = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const g = new Int32Array(n);
      g.set(a);
      return g;
    };
    this.keyStart = grow(this.keyStart);
    this.keyLen = grow(this.keyLen);
    this.keyHash = grow(this.keyHash);
    this.keyValue = grow(this.keyValue);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let key = 0; key < this.keys; key++) {
      let slot = this.keyHash[key] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = key + 1;
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
