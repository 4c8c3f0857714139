/**
 * Joining a trained Model with a ContentModel: align their track dictionaries, fit the content →
 * factor map on the warm tracks and produce factors for every catalog track.
 */
import type { Model } from '../model/model.js';
import type { ContentModel } from './content-model.js';
import { blendFactors, fitFactorMap, type BlendedFactors, type FactorMap, type FactorMapOptions } from './factor-map.js';

/** Per model item: distinct users with positive evidence in the training matrix. */
export function itemListeners(seen: { indptr: Int32Array; indices: Int32Array; pref: Float32Array }, items: number): Float32Array {
  const out = new Float32Array(items);
  const nnz = seen.indptr[seen.indptr.length - 1];
  for (let p = 0; p < nnz; p++) if (seen.pref[p] > 0) out[seen.indices[p]]++;
  return out;
}

/** Model item index of each content track (−1 when the model never saw it). */
export function alignTracks(content: ContentModel, model: Model): Int32Array {
  const out = new Int32Array(content.tracks.size);
  const ids = content.tracks.ids;
  for (let t = 0; t < out.length; t++) out[t] = model.data.items.get(ids[t]) ?? -1;
  return out;
}

export interface CatalogFactors extends BlendedFactors {
  map: FactorMap;
  /** Model item per content track, −1 for cold tracks. */
  modelItem: Int32Array;
  listens: Float32Array;
}

/**
 * Fit the map on the tracks the model has factors for (weighted n/(n+m)), then give every catalog
 * track factors: blended for warm ones, content-predicted for cold ones.
 */
export function catalogFactors(content: ContentModel, model: Model, opts: FactorMapOptions = {}): CatalogFactors {
  const k = model.factors;
  const d = content.dim;
  const n = content.tracks.size;
  const modelItem = alignTracks(content, model);
  const perItem = itemListeners(model.data.seen, model.data.items.size);
  const cf = new Float32Array(n * k);
  const hasCf = new Uint8Array(n);
  const listens = new Float32Array(n);
  const blendM = opts.blendM ?? 5;
  const weight = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    const i = modelItem[t];
    if (i < 0) continue;
    hasCf[t] = 1;
    listens[t] = perItem[i];
    weight[t] = perItem[i] / (perItem[i] + blendM);
    cf.set(model.data.itemFactors.subarray(i * k, (i + 1) * k), t * k);
  }
  const map = fitFactorMap(content.vectors, cf, d, k, weight, { ...opts, blendM });
  const blended = blendFactors({ map, content: content.vectors, cf, hasCf, listens, trackArtist: content.data.trackArtist });
  return { ...blended, map, modelItem, listens };
}
