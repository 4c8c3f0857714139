type Typed = Float32Array | Int32Array | Float64Array | Uint8Array;

/** A copy of `a` on a new SharedArrayBuffer (always new memory, even when `a` is shared). */
export function sharedCopy<T extends Typed>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** The bytes of `a`'s own elements (a view may start partway into its buffer, e.g. on a cache line). */
export function bytesOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer as ArrayBuffer, a.byteOffset, a.byteLength);
}
