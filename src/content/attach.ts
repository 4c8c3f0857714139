/**
 * Attaching a catalog to training: catalog tracks nobody has played yet become model items (cold
 * tracks) whose factors come from the content → factor map, so they can be recommended the
 * moment they enter the catalog. The fitted content model travels with the model directory.
 */
import type { Catalog } from '../data/catalog.js';
import { Dictionary } from '../data/dictionary.js';
import type { Model } from '../model/model.js';
import type { Interactions } from '../types.js';
import { buildContentModel, type ContentModel, type ContentOptions } from './content-model.js';
import { catalogFactors } from './model-factors.js';

/** The same matrix with catalog tracks missing from it appended as empty columns. */
export function withCatalogTracks(inter: Interactions, catalog: Catalog): Interactions {
  const items = Dictionary.copyOf(inter.items);
  for (const id of catalog.tracks.ids) items.intern(id);
  if (items.size === inter.items.size) return inter;
  return { ...inter, items };
}

export interface ContentAttachment {
  content: ContentModel;
  /** Model items whose factors came from content (no positive listens). */
  coldTracks: number;
  /** Model items whose factors were blended with content (few listens). */
  blendedTracks: number;
}

/**
 * Fit the content model and map, then write content-derived factors into the model's item
 * factors: for cold tracks always; for warm tracks with few listens only when `blendWarm` (the
 * blend weight m/(m + listens) shrinks to nothing for popular tracks).
 */
export function attachContent(model: Model, catalog: Catalog, opts: ContentOptions & { blendWarm?: boolean } = {}): ContentAttachment {
  const base = buildContentModel(catalog, opts);
  const cf = catalogFactors(base, model);
  const k = model.factors;
  const target = model.data.itemFactors;
  let coldTracks = 0;
  let blendedTracks = 0;
  for (let t = 0; t < cf.modelItem.length; t++) {
    const i = cf.modelItem[t];
    if (i < 0) continue;
    const cold = cf.listens[t] === 0;
    if (!cold && !opts.blendWarm) continue;
    target.set(cf.factors.subarray(t * k, (t + 1) * k), i * k);
    if (cold) coldTracks++;
    else blendedTracks++;
  }
  return { content: base.withFactorMap(cf.map), coldTracks, blendedTracks };
}
