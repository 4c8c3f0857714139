/**
 * The Gram matrix YᵀY of a model's item factors, computed once per model: every fold-in needs it
 * (Model.foldIn, and weeklyPlaylist's refresh from recent events), and at 200,000 tracks × 64 it
 * takes tens of milliseconds.
 */
import { gram, gramAsync } from '../native/index.js';
import type { ModelData } from './model-data.js';

const grams = new WeakMap<ModelData, Float32Array>();

export function itemGram(data: ModelData): Float32Array {
  let g = grams.get(data);
  if (!g) grams.set(data, (g = gram(data.itemFactors, data.params.factors)));
  return g;
}

/** itemGram on the thread pool (for warming a model without blocking the JS thread). */
export async function itemGramAsync(data: ModelData): Promise<Float32Array> {
  const cached = grams.get(data);
  if (cached) return cached;
  const g = await gramAsync(data.itemFactors, data.params.factors);
  if (!grams.has(data)) grams.set(data, g);
  return grams.get(data)!;
}
