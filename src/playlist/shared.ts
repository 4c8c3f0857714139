/** Copies of the job tables in SharedArrayBuffers, so worker tasks carry views, not data. */
import type { PlaylistTables } from './tables.js';
import { toShared } from '../util/shared-memory.js';

type Typed = Int32Array | Float32Array | Float64Array | Uint8Array;

/** Views already on shared memory (whole or part of it) go as they are. */
function share<T extends Typed>(a: T): T {
  return a.buffer instanceof SharedArrayBuffer ? a : toShared(a);
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
