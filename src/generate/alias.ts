/**
 * Walker/Vose alias tables: O(n) build, O(1) draws from a fixed discrete distribution. Used for
 * popularity-weighted track choice, where a session draws thousands of times from one table.
 */
import type { Rng } from './rng.js';

export class AliasTable {
  readonly size: number;
  /** Item returned by each slot (a table may be built over a subset of a larger index space). */
  readonly items: Int32Array;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  /**
   * @param weights non-negative weights; at least one must be positive.
   * @param items optional item per weight (defaults to 0..n-1).
   */
  constructor(weights: ArrayLike<number>, items?: Int32Array) {
    const n = weights.length;
    if (items && items.length !== n) throw new RangeError(`AliasTable: ${items.length} items for ${n} weights`);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`AliasTable: weight ${i} is ${w}; weights must be finite and ≥ 0`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('AliasTable: needs at least one positive weight');
    this.size = n;
    this.items = items ?? Int32Array.from({ length: n }, (_, i) => i);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[nl - 1];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) {
        nl--;
        small[ns++] = l;
      }
    }
    // Leftovers are 1 up to rounding.
    while (nl > 0) this.prob[large[--nl]] = 1;
    while (ns > 0) this.prob[small[--ns]] = 1;
  }

  /** One draw: the item (not the slot). */
  sample(rng: Rng): number {
    const slot = rng.int(this.size);
    return this.items[rng.float() < this.prob[slot] ? slot : this.alias[slot]];
  }
}
