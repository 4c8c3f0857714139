/**
 * SharedArrayBuffer-backed arrays: worker threads read and write the same memory, and the addon's
 * async entries use them in place (a plain buffer could be transferred while a kernel runs, so
 * those are copied at every call: 51 MB for the item matrix of a 200,000-track model).
 */

import { adviseLarge } from './large-array.js';
import { inSlicesPerTurn } from './turns.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;
type TypedCtor<T> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

/** A zeroed shared array; large ones on huge pages (see large-array.ts: factor rows are read at random). */
export function sharedArray<T extends Typed>(ctor: TypedCtor<T>, length: number): T {
  return adviseLarge(new ctor(new SharedArrayBuffer(Math.max(0, length) * ctor.BYTES_PER_ELEMENT)));
}

function ownsSharedMemory(a: Typed): boolean {
  return a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
}

/** `src` itself when it already has shared memory of its own, else a shared copy. */
export function toShared<T extends Typed>(src: T): T {
  if (ownsSharedMemory(src)) return src;
  const out = sharedArray(src.constructor as unknown as TypedCtor<T>, src.length);
  out.set(src as never);
  return out;
}

/**
 * toShared, copying `perTurn` elements per event-loop turn: an interaction matrix of 100 M
 * entries is 400 MB per array, a stall of a tenth of a second per array when copied at once.
 */
export async function toSharedInTurns<T extends Typed>(src: T, perTurn = 1 << 22): Promise<T> {
  if (ownsSharedMemory(src)) return src;
  const out = sharedArray(src.constructor as unknown as TypedCtor<T>, src.length);
  await inSlicesPerTurn(src.length, perTurn, (from, to) => out.set(src.subarray(from, to) as never, from));
  return out;
}
