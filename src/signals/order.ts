/**
 * Stable counting sorts of event indices by small integer keys. Chaining them from the least to the
 * most significant key orders events by a compound key in linear time with no comparator.
 */

/**
 * Return the event indices of `order` rearranged so that `key[e]` is non-decreasing; events with
 * equal keys keep their relative order. Every key must lie in [0, buckets).
 */
export function stableOrderBy(order: Int32Array, key: ArrayLike<number>, buckets: number): Int32Array {
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < order.length; i++) start[key[order[i]] + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    out[start[key[e]]++] = e;
  }
  return out;
}

/** Row pointers of an order grouped by `key` (length buckets + 1). */
export function groupPointers(order: Int32Array, key: ArrayLike<number>, buckets: number): Int32Array {
  const ptr = new Int32Array(buckets + 1);
  for (let i = 0; i < order.length; i++) ptr[key[order[i]] + 1]++;
  for (let b = 0; b < buckets; b++) ptr[b + 1] += ptr[b];
  return ptr;
}
