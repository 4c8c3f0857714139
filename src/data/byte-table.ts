/**
 * A hash table keyed on byte strings (ids as UTF-8 ranges) with an int32 value per key: the
 * lookup structure behind ByteInterner (values are dictionary indices). Keys are copied into one
 * arena, so a table outlives the buffers its keys came from.
 *
 * Layout for few cache misses per lookup: each slot holds (hash, value, start, length) side by
 * side, so a probe rejects other keys and finds the value without leaving the slot array, and
 * the bytes of a match are compared in one arena.
 */

/** FNV-1a of bytes [s, e), with the high half folded in: FNV's low bits alone are weak for short keys that differ in the last byte. */
export function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h ^ (h >>> 16);
}

const SLOT = 4;

/** Strings looked up per block of lookupAll: enough misses in flight, few enough to stay in cache. */
const BLOCK = 64;

export class ByteTable {
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /** Keys stored. */
  size = 0;
  /** Per slot: hash, value, start in arena, length + 1 (0 when empty). */
  private slots = new Int32Array(SLOT * 2048);
  private mask = 2047;
  private readonly hashes = new Int32Array(BLOCK);
  /** Keeps the touching loads of lookupAll from being optimised away. */
  private touched = 0;

  /**
   * For each of `count` strings (string k is bytes [starts[k·stride], ends[k·stride])), its value
   * when the key is stored, else `absent`; nothing is added. Hashes a block of strings and touches
   * their slots, then the stored bytes those slots point to, before probing, so the cache misses
   * of a block overlap instead of coming one after another.
   */
  lookupAll(b: Uint8Array, starts: Int32Array, ends: Int32Array, stride: number, count: number, out: Int32Array, absent: number): void {
    const hashes = this.hashes;
    const slots = this.slots;
    const arena = this.arena;
    const mask = this.mask;
    let touched = 0;
    for (let k0 = 0; k0 < count; k0 += BLOCK) {
      const k1 = Math.min(count, k0 + BLOCK);
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

  /**
   * The value of the key in bytes [s, e) with hash h (hashBytes), or -1 - (the free slot) when
   * absent. Values are ≥ 0; a free slot stays valid until the next add.
   */
  find(b: Uint8Array, s: number, e: number, h: number): number {
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

  /** Stores the absent key in bytes [s, e) with hash h at the free slot `find` returned, with value ≥ 0. */
  add(b: Uint8Array, s: number, e: number, h: number, slot: number, value: number): void {
    const len = e - s;
    if (this.arenaUsed + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    const start = this.arenaUsed;
    // Keys are a few dozen bytes: a loop, not a view per key for a native copy.
    const arena = this.arena;
    for (let i = 0; i < len; i++) arena[start + i] = b[s + i];
    this.arenaUsed += len;
    const at = SLOT * slot;
    this.slots[at] = h;
    this.slots[at + 1] = value;
    this.slots[at + 2] = start;
    this.slots[at + 3] = len + 1;
    this.size++;
    if (this.size * 2 > this.mask + 1) this.rehash();
  }

  private rehash(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(SLOT * size);
    const mask = size - 1;
    // Four words a slot, copied as such: a view per slot for a native copy made a million objects.
    for (let o = 0; o < old.length; o += SLOT) {
      if (old[o + 3] === 0) continue;
      let slot = old[o] & mask;
      while (slots[SLOT * slot + 3] !== 0) slot = (slot + 1) & mask;
      const at = SLOT * slot;
      slots[at] = old[o];
      slots[at + 1] = old[o + 1];
      slots[at + 2] = old[o + 2];
      slots[at + 3] = old[o + 3];
    }
    this.slots = slots;
    this.mask = mask;
  }
}
