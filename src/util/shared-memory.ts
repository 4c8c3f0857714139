/**
 * SharedArrayBuffer-backed arrays: worker threads read and write the same memory, and the addon's
 * async entries use them in place (a plain buffer could be transferred while a kernel runs, so
 * those are copied at every call: 51 MB for the item matrix of a 200,000-track model).
 */

type Typed = Float32Array | Float64Array | Int32Array | Uint8Array;
type TypedCtor<T> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

export function sharedArray<T extends Typed>(ctor: TypedCtor<T>, length: number): T {
  return new ctor(new SharedArrayBuffer(Math.max(0, length) * ctor.BYTES_PER_ELEMENT));
}

/** `src` itself when it already has shared memory of its own, else a shared copy. */
export function toShared<T extends Typed>(src: T): T {
  if (src.buffer instanceof SharedArrayBuffer && src.byteOffset === 0 && src.byteLength === src.buffer.byteLength) return src;
  const ctor = src.constructor as unknown as TypedCtor<T>;
  const out = sharedArray(ctor, src.length);
  out.set(src as never);
  return out;
}
