/** SharedArrayBuffer-backed copies, so worker threads read and write the same memory. */

type TypedCtor<T> = { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

export function sharedArray<T extends Float32Array | Int32Array>(ctor: TypedCtor<T>, length: number): T {
  return new ctor(new SharedArrayBuffer(Math.max(0, length) * ctor.BYTES_PER_ELEMENT));
}

export function toShared<T extends Float32Array | Int32Array>(src: T): T {
  if (src.buffer instanceof SharedArrayBuffer && src.byteOffset === 0 && src.byteLength === src.buffer.byteLength) return src;
  const ctor = src.constructor as unknown as TypedCtor<T>;
  const out = sharedArray(ctor, src.length);
  out.set(src);
  return out;
}
