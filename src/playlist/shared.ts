/** Copies of the job tables in SharedArrayBuffers, so worker tasks carry views, not data. */
import type { ItemFeatures } from '../rerank/item-features.js';
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
  const features = shareFeatures(t.features);
  const shared: PlaylistTables = { ...shareDeep({ ...t, features: undefined as unknown as ItemFeatures, content: undefined }), features };
  // The hybrid stage's content vectors are the diversity vectors: one shared copy serves both.
  if (t.content) shared.content = { unit: t.content.unit === t.features.diversity ? features.diversity : share(t.content.unit), dim: t.content.dim };
  else delete shared.content;
  return shared;
}

/** The re-ranker's item features in shared memory; unitFactors and diversity are often the same array, shared once. */
export function shareFeatures(f: ItemFeatures): ItemFeatures {
  const shared = shareDeep({ ...f, diversity: undefined as unknown as Float32Array });
  shared.diversity = f.diversity === f.unitFactors ? shared.unitFactors : share(f.diversity);
  return shared;
}
