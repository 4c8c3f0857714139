/**
 * Large typed arrays reused within one stage. On a virtual machine, memory that an array touches for
 * the first time is slow to get: each page takes a fault and the kernel zeroes it. At 100 M events
 * the signals stage spent about a fifth of its time in the kernel that way, because every step
 * made fresh per-event arrays and dropped the last step's. A stage takes its scratch arrays from a
 * pool and gives them back when a step is done; the next step's arrays reuse that memory.
 *
 * Arrays the pool makes have room for `elements` elements, so that any later per-event array of the
 * stage fits in a buffer given back. The pool keeps what is given back until the stage drops it.
 */
import { largeArray } from './large-array.js';

export type PoolArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

export interface PoolCtor<T extends PoolArray> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

export interface TakeOptions {
  /** Zero the array (default true); false where every element is written before it is read. */
  zeroed?: boolean;
  /** Give a new array room for the stage's length (default true). */
  room?: boolean;
}

/** Buffers smaller than this are not kept: their pages cost little next to the bookkeeping. */
const KEEP_MIN_BYTES = 1 << 20;

export class ArrayPool {
  readonly #free: ArrayBuffer[] = [];
  readonly #elements: number;

  /** `elements`: the room each new array gets (the stage's largest per-event length). */
  constructor(elements: number) {
    if (!Number.isInteger(elements) || elements < 0) throw new RangeError(`ArrayPool: elements must be an integer ≥ 0, got ${elements}`);
    this.#elements = elements;
  }

  /**
   * An array of `length` elements: zeroed unless `zeroed` is false (for callers that write every
   * element before reading it). It uses the smallest buffer given back that holds it and is at
   * most three times its size (a small array does not tie up a large buffer). Otherwise it is a
   * new one, with room for the stage's length unless `room` is false (an array the stage hands on,
   * which should not hold more memory than it needs).
   */
  take<T extends PoolArray>(Ctor: PoolCtor<T>, length: number, { zeroed = true, room = true }: TakeOptions = {}): T {
    const bytes = length * Ctor.BYTES_PER_ELEMENT;
    if (bytes < KEEP_MIN_BYTES) return largeArray(Ctor, length);
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const size = this.#free[i].byteLength;
      if (size >= bytes && size <= 3 * bytes && (best < 0 || size < this.#free[best].byteLength)) best = i;
    }
    if (best < 0) {
      const made = largeArray(Ctor, room ? Math.max(length, this.#elements) : length);
      return made.length === length ? made : new Ctor(made.buffer as ArrayBuffer, 0, length);
    }
    const buffer = this.#free[best];
    this.#free.splice(best, 1);
    const a = new Ctor(buffer, 0, length);
    if (zeroed) a.fill(0);
    return a;
  }

  /** Gives arrays back; none of them may be used afterwards. Views of shared or small buffers are let go. */
  give(...arrays: (PoolArray | null | undefined)[]): void {
    for (const a of arrays) {
      if (!a || !(a.buffer instanceof ArrayBuffer) || a.buffer.byteLength < KEEP_MIN_BYTES) continue;
      if (this.#free.includes(a.buffer)) throw new Error('ArrayPool: an array was given back twice');
      this.#free.push(a.buffer);
    }
  }

  /** Bytes kept for reuse. */
  get keptBytes(): number {
    return this.#free.reduce((s, b) => s + b.byteLength, 0);
  }
}

/** `pool.take(Ctor, length, options)`, or without a pool a new (zeroed) large array. */
export function takeArray<T extends PoolArray>(pool: ArrayPool | undefined, Ctor: PoolCtor<T>, length: number, options?: TakeOptions): T {
  return pool ? pool.take(Ctor, length, options) : largeArray(Ctor, length);
}
