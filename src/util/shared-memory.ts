/**
 * SharedArrayBuffer-backed arrays: worker threads read and write the same memory, and the addon's
 * async entries use them in place (a plain buffer could be transferred while a kernel runs, so
 * those are copied at every call: 51 MB for the item matrix of a 200,000-track model).
 */

import { bytesToCacheLine } from '../native/index.js';
import { adviseLarge } from './large-array.js';
import { inSlicesPerTurn } from './turns.js';

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;
export type SharedCtor<T> = { new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/**
 * Shared arrays start on a 64-byte cache line. Large buffers come from the allocator 16 bytes past
 * a page boundary, so a factor row of 128 bytes (k = 32) spanned three lines instead of two, and
 * every row the ALS gather or the top-k rescoring reads at random cost a third more memory traffic
 * at k = 32 (a quarter at k = 64).
 */
const LINE = 64;

/** A zeroed shared array on a cache-line boundary; large ones on huge pages (see large-array.ts: factor rows are read at random). */
export function sharedArray<T extends Typed>(ctor: SharedCtor<T>, length: number): T {
  const n = Math.max(0, length);
  const buffer = new SharedArrayBuffer(n * ctor.BYTES_PER_ELEMENT + LINE);
  const pad = bytesToCacheLine(new Uint8Array(buffer, 0, 1));
  return adviseLarge(new ctor(buffer, pad % ctor.BYTES_PER_ELEMENT === 0 ? pad : 0, n));
}

/** Shared memory of its own: the view covers its buffer but for the alignment pad. */
function ownsSharedMemory(a: Typed): boolean {
  return a.buffer instanceof SharedArrayBuffer && a.buffer.byteLength - a.byteLength <= LINE;
}

/** `src` itself when it already has shared memory of its own, else a shared copy. */
export function toShared<T extends Typed>(src: T): T {
  if (ownsSharedMemory(src)) return src;
  const out = sharedArray(src.constructor as unknown as SharedCtor<T>, src.length);
  out.set(src as never);
  return out;
}

/**
 * toShared, copying `perTurn` elements per event-loop turn: an interaction matrix of 100 M
 * entries is 400 MB per array, a stall of a tenth of a second per array when copied at once.
 */
export async function toSharedInTurns<T extends Typed>(src: T, perTurn = 1 << 22): Promise<T> {
  if (ownsSharedMemory(src)) return src;
  const out = sharedArray(src.constructor as unknown as SharedCtor<T>, src.length);
  await inSlicesPerTurn(src.length, perTurn, (from, to) => out.set(src.subarray(from, to) as never, from));
  return out;
}

/**
 * `src` itself when it lies in shared memory (a view of part of a SharedArrayBuffer too), else a
 * shared copy made a slice per turn: for handing arrays that a worker only reads to a pool thread.
 */
export async function inSharedMemory<T extends Typed>(src: T): Promise<T> {
  return src.buffer instanceof SharedArrayBuffer ? src : toSharedInTurns(src);
}
