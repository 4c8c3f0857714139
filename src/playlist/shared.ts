/** Copies of the job tables in SharedArrayBuffers, so worker tasks carry views, not data. */
import type { PlaylistTables } from './tables.js';

type Typed = Int32Array | Float32Array | Float64Array | Uint8Array;

function share<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const ctor = a.constructor as unknown as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new ctor(new SharedArrayBuffer(a.length * ctor.BYTES_PER_ELEMENT));
  out.set(a as never);
  return out;
}

/** Deep copy of plain objects with every typed array moved to shared memory (once per job). */
function shareDeep<T>(v: T): T {
  if (ArrayBuffer.isView(v)) return share(v as unknown as Typed) as unknown as T;
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) out[key] = shareDeep(value);
  return out as T;
}

export function shareTables(t: PlaylistTables): PlaylistTables {
  // unitFactors and diversity are often the same array: share it once.
  const shared = shareDeep({ ...t, features: { ...t.features, diversity: undefined as unknown as Float32Array } });
  shared.features.diversity = t.features.diversity === t.features.unitFactors ? shared.features.unitFactors : share(t.features.diversity);
  return shared;
}
