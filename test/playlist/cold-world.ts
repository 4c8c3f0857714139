/**
 * A world's model with two listeners without taste evidence: user 0 emptied (an account judged
 * not human: no entries, zero factors) and user 1 left with one skipped track (factors near zero).
 */
import type { ModelData } from '../../src/model/model-data.js';
import type { World } from './world.js';

export const EMPTIED = 0;
export const SKIPS_ONLY = 1;

export interface ColdWorld {
  data: ModelData;
  /** The track user SKIPS_ONLY skipped. */
  skipped: number;
}

export function withColdListeners(world: World): ColdWorld {
  const { seen } = world.data;
  const k = world.data.params.factors;
  const skipped = seen.indices[seen.indptr[SKIPS_ONLY]];
  const indptr = new Int32Array(seen.indptr.length);
  const indices: number[] = [];
  const pref: number[] = [];
  for (let u = 0; u + 1 < seen.indptr.length; u++) {
    if (u === SKIPS_ONLY) indices.push(skipped), pref.push(0);
    else if (u > SKIPS_ONLY) for (let p = seen.indptr[u]; p < seen.indptr[u + 1]; p++) indices.push(seen.indices[p]), pref.push(seen.pref[p]);
    indptr[u + 1] = indices.length;
  }
  const userFactors = world.data.userFactors.slice();
  userFactors.fill(0, EMPTIED * k, (EMPTIED + 1) * k);
  for (let j = 0; j < k; j++) userFactors[SKIPS_ONLY * k + j] = -1e-4 * world.data.itemFactors[skipped * k + j];
  const data: ModelData = {
    ...world.data,
    userFactors,
    seen: { indptr, indices: Int32Array.from(indices), pref: Float32Array.from(pref), weight: new Float32Array(indices.length).fill(1) },
  };
  return { data, skipped };
}
