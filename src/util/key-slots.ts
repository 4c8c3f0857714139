/**
 * Dense numbers for the distinct keys of one small group at a time (an account's tracks, say),
 * where a sort of every row of a large table by (group, key) would cost far more: open addressing
 * over typed arrays, with a stamp per slot so that starting the next group clears nothing. Keys
 * are pairs (a, b): a an int32, b any finite number. The table grows only for a group with more
 * rows than any before it, and a small group uses its first slots only (they stay in cache).
 */
export class KeySlots {
  #a = new Int32Array(0);
  #b = new Float64Array(0);
  #id = new Int32Array(0);
  #stamp = new Int32Array(0);
  #mask = 0;
  #group = 0;
  #size = 0;

  /** Start a new group of at most `rows` distinct keys; its keys are numbered from 0 again. */
  reset(rows: number): void {
    if (!(rows >= 0 && rows < 2 ** 29)) throw new RangeError(`KeySlots: rows must be in [0, 2^29), got ${rows}`);
    // The power of two at or above 2·rows: the table stays at most half full.
    const slots = 2 ** (32 - Math.clz32(Math.max(2, 2 * rows) - 1));
    if (slots > this.#stamp.length) {
      this.#a = new Int32Array(slots);
      this.#b = new Float64Array(slots);
      this.#id = new Int32Array(slots);
      this.#stamp = new Int32Array(slots);
      this.#group = 0;
    }
    this.#mask = slots - 1;
    this.#group++;
    this.#size = 0;
  }

  /** Distinct keys of the group so far. */
  get size(): number {
    return this.#size;
  }

  /** The key's number in the group: 0, 1, … in the order keys are first seen. */
  idOf(a: number, b: number): number {
    // b may lie far from zero (a day number of a corrupt timestamp): hash its low 32 bits.
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77)) & this.#mask;
    for (;;) {
      if (this.#stamp[slot] !== this.#group) {
        this.#stamp[slot] = this.#group;
        this.#a[slot] = a;
        this.#b[slot] = b;
        return (this.#id[slot] = this.#size++);
      }
      if (this.#a[slot] === a && this.#b[slot] === b) return this.#id[slot];
      slot = (slot + 1) & this.#mask;
    }
  }
}
