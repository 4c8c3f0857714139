type Typed = Float32Array | Int32Array | Float64Array | Uint8Array;

/** A copy of `a` on a new SharedArrayBuffer (always new memory, even when `a` is shared). */
export function sharedCopy<T extends Typed>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}
