/**
 * Evaluating cold items: hold out a share of the items entirely (every interaction with them is
 * removed from training), then rank only the held-out items for each user and measure recall of
 * the held-out user–item pairs.
 */
import { keepEntries, markedRows } from '../eval/entries.js';
import { accuracyAtK } from '../eval/metrics.js';
import { SeededRandom } from '../eval/random.js';
import type { SparseRows } from '../eval/sparse.js';
import { topKVectors } from '../retrieve/exact.js';
import type { Interactions } from '../types.js';

export interface ColdItemSplit {
  train: Interactions;
  /** users × cold items (renumbered 0.. in item order): the held-out pairs. */
  test: SparseRows;
  /** Item index of each cold column, ascending. */
  coldItems: Int32Array;
}

/** Hold out round(fraction · items) items chosen by a seeded shuffle. */
export function holdOutItems(inter: Interactions, fraction: number, seed: number): ColdItemSplit {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`holdOutItems: fraction must be in (0, 1), got ${fraction}`);
  const n = inter.items.size;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new SeededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const isCold = new Uint8Array(n);
  const nCold = Math.round(fraction * n);
  for (let j = 0; j < nCold; j++) isCold[order[j]] = 1;
  const onCold = new Uint8Array(inter.indices.length);
  const keep = new Uint8Array(inter.indices.length);
  for (let p = 0; p < onCold.length; p++) {
    onCold[p] = isCold[inter.indices[p]];
    keep[p] = 1 - onCold[p];
  }
  const local = new Int32Array(n).fill(-1);
  const coldItems = new Int32Array(nCold);
  for (let i = 0, c = 0; i < n; i++) if (isCold[i]) coldItems[(local[i] = c++)] = i;
  const held = markedRows(inter, onCold);
  const indices = new Int32Array(held.indices.length);
  for (let p = 0; p < indices.length; p++) indices[p] = local[held.indices[p]];
  return { train: keepEntries(inter, keep), test: { rows: held.rows, cols: nCold, indptr: held.indptr, indices }, coldItems };
}

/** Top-k lists over the cold items only (local column indices), scored by x_u · f_i. */
export async function rankColdItems(userFactors: Float32Array, itemFactors: Float32Array, k: number, coldItems: Int32Array, n: number): Promise<Int32Array> {
  const cold = new Float32Array(coldItems.length * k);
  for (let c = 0; c < coldItems.length; c++) cold.set(itemFactors.subarray(coldItems[c] * k, (coldItems[c] + 1) * k), c * k);
  return (await topKVectors(userFactors, cold, k, n)).items;
}

/** Mean recall@n of lists (users × n, local cold columns) against the split's held-out pairs. */
export function coldRecall(lists: Int32Array, n: number, split: ColdItemSplit): { recall: number; evaluated: number } {
  const users = Int32Array.from({ length: split.test.rows }, (_, u) => u);
  const a = accuracyAtK(lists, n, users, split.test, n);
  return { recall: a.mean.recall, evaluated: a.evaluated };
}
