/** Row pointers of an order grouped by `key` (length buckets + 1). */
export function groupPointers(order: Int32Array, key: ArrayLike<number>, buckets: number): Int32Array {
  const ptr = new Int32Array(buckets + 1);
  for (let i = 0; i < order.length; i++) ptr[key[order[i]] + 1]++;
  for (let b = 0; b < buckets; b++) ptr[b + 1] += ptr[b];
  return ptr;
}
