/**
 * A small binary container for a JSON header plus typed arrays: the on-disk form of a
 * ContentModel. Layout: magic "MXCB", u32 version, u32 header length, header JSON (UTF-8), then
 * each array 8-byte aligned in the order the header lists them. Little-endian, as Arrow IPC.
 */
const MAGIC = 0x4243584d; // "MXCB" read as little-endian u32
const VERSION = 1;

export type PackedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
type DType = 'f32' | 'f64' | 'i32' | 'u8';

interface ArrayEntry {
  name: string;
  dtype: DType;
  offset: number;
  length: number;
}

function dtypeOf(a: PackedArray): DType {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  return 'u8';
}

const align8 = (n: number): number => (n + 7) & ~7;

export function packBundle(header: unknown, arrays: Record<string, PackedArray>): Uint8Array {
  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    entries.push({ name, dtype: dtypeOf(a), offset, length: a.length });
    offset = align8(offset + a.byteLength);
  }
  const json = new TextEncoder().encode(JSON.stringify({ header, arrays: entries }));
  const dataStart = align8(12 + json.length);
  const out = new Uint8Array(dataStart + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  for (const e of entries) {
    const a = arrays[e.name];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), dataStart + e.offset);
  }
  return out;
}

export function unpackBundle(bytes: Uint8Array): { header: unknown; arrays: Map<string, PackedArray> } {
  if (bytes.length < 12) throw new RangeError(`content bundle: ${bytes.length} bytes is too short`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new RangeError('content bundle: bad magic (not a mixtape content bundle)');
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new RangeError(`content bundle: unsupported version ${version}`);
  const len = view.getUint32(8, true);
  if (12 + len > bytes.length) throw new RangeError('content bundle: truncated header');
  const parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as { header: unknown; arrays: ArrayEntry[] };
  const dataStart = align8(12 + len);
  const arrays = new Map<string, PackedArray>();
  for (const e of parsed.arrays) {
    const size = { f32: 4, f64: 8, i32: 4, u8: 1 }[e.dtype];
    const start = dataStart + e.offset;
    if (start + e.length * size > bytes.length) throw new RangeError(`content bundle: array '${e.name}' is truncated`);
    // Copy into a fresh, aligned buffer: the input may sit at any offset (and a Node Buffer's
    // slice() is a view into a shared pool, not a copy).
    const copy = new Uint8Array(e.length * size);
    copy.set(bytes.subarray(start, start + e.length * size));
    const raw = copy.buffer;
    arrays.set(e.name, e.dtype === 'f32' ? new Float32Array(raw) : e.dtype === 'f64' ? new Float64Array(raw) : e.dtype === 'i32' ? new Int32Array(raw) : new Uint8Array(raw));
  }
  return { header: parsed.header, arrays };
}
