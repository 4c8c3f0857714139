/**
 * Rows a delimited-text sink holds between row() and flush(), so that their two ids (user and
 * track or item) are looked up a block at a time: with a million listeners each lookup misses
 * the caches, and in a block the misses overlap (ByteInterner.lookupAll). Holds byte ranges into
 * one read buffer, valid until the reader's next flush.
 */
import { ByteInterner } from './byte-interner.js';

/** Rows held for one block lookup. */
export const HELD_ROWS = 256;
/** The mark of an id not yet in its table (distinct from INVALID_UTF8). */
const ABSENT = -2;

export class HeldRows {
  count = 0;
  bytes: Uint8Array = new Uint8Array(0);
  readonly capacity = HELD_ROWS;
  readonly userStart = new Int32Array(HELD_ROWS);
  readonly userEnd = new Int32Array(HELD_ROWS);
  readonly itemStart = new Int32Array(HELD_ROWS);
  readonly itemEnd = new Int32Array(HELD_ROWS);
  /** Lines across parts may pass 2^31. */
  readonly line = new Float64Array(HELD_ROWS);
  private readonly user = new Int32Array(HELD_ROWS);
  private readonly item = new Int32Array(HELD_ROWS);

  /** Whether a row of `bytes` can join the held ones (they share one buffer and there is room). */
  accepts(bytes: Uint8Array): boolean {
    return this.count < this.capacity && (this.count === 0 || this.bytes === bytes);
  }

  /** Holds a row's id ranges; returns its place, for the sink's own columns. */
  hold(bytes: Uint8Array, us: number, ue: number, is: number, ie: number, line: number): number {
    const i = this.count++;
    this.bytes = bytes;
    this.userStart[i] = us;
    this.userEnd[i] = ue;
    this.itemStart[i] = is;
    this.itemEnd[i] = ie;
    this.line[i] = line;
    return i;
  }

  /** Looks up every held id that the tables already know; the rest are interned by userOf/itemOf. */
  lookUp(users: ByteInterner, items: ByteInterner): void {
    users.lookupAll(this.bytes, this.userStart, this.userEnd, 1, this.count, this.user, ABSENT);
    items.lookupAll(this.bytes, this.itemStart, this.itemEnd, 1, this.count, this.item, ABSENT);
  }

  /** Row i's user index (interned if new: call in row order), or INVALID_UTF8. */
  userOf(i: number, users: ByteInterner): number {
    const u = this.user[i];
    return u !== ABSENT ? u : users.internBytes(this.bytes, this.userStart[i], this.userEnd[i]);
  }

  /** Row i's item index (interned if new: call in row order), or INVALID_UTF8. */
  itemOf(i: number, items: ByteInterner): number {
    const t = this.item[i];
    return t !== ABSENT ? t : items.internBytes(this.bytes, this.itemStart[i], this.itemEnd[i]);
  }
}
