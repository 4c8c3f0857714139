/**
 * The mean of a model's listeners' factors, the query of a listener without taste evidence. Scored
 * against the item factors it gives each track the preference the model predicts for it on
 * average over its listeners: popularity as the model sees it, among tracks it can rank.
 * Rows of zeros are left out: they are accounts with nothing positive to learn from (only skips,
 * or judged not human and emptied by the signals stage), not listeners with a taste.
 */
import type { ModelData } from './model-data.js';
import { isZeroRow } from '../util/dot.js';

/** Mean of the non-zero rows of `userFactors` (rows × k); zeros when every row is zero. */
export function averageTaste(userFactors: Float32Array, k: number): Float32Array {
  if (!Number.isInteger(k) || k < 1 || userFactors.length % k !== 0) {
    throw new RangeError(`averageTaste: ${userFactors.length} factors are not rows of ${k}`);
  }
  const sum = new Float64Array(k);
  let rows = 0;
  for (let o = 0; o < userFactors.length; o += k) {
    if (isZeroRow(userFactors, o, k)) continue;
    for (let f = 0; f < k; f++) sum[f] += userFactors[o + f];
    rows++;
  }
  const out = new Float32Array(k);
  if (rows > 0) for (let f = 0; f < k; f++) out[f] = sum[f] / rows;
  return out;
}

/**
 * Whether training gave user row `u` a taste to rank by: a positive entry in its history and a
 * factor row that is not all zeros. Users without one are ranked by averageTasteOf.
 */
export function hasTaste(data: ModelData, u: number): boolean {
  const { indptr, pref } = data.seen;
  let positive = false;
  for (let e = indptr[u]; e < indptr[u + 1] && !positive; e++) positive = pref[e] > 0;
  if (!positive) return false;
  const k = data.params.factors;
  return !isZeroRow(data.userFactors, u * k, k);
}

const tastes = new WeakMap<ModelData, Float32Array>();

/** averageTaste of a model's users, computed once per model. */
export function averageTasteOf(data: ModelData): Float32Array {
  let t = tastes.get(data);
  if (!t) tastes.set(data, (t = averageTaste(data.userFactors, data.params.factors)));
  return t;
}
