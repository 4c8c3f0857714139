/** Group bounds (length buckets + 1) of keys in non-decreasing order: group b is [ptr[b], ptr[b + 1]). */
export function groupPointers(sortedKeys: ArrayLike<number>, buckets: number): Int32Array {
  const ptr = new Int32Array(buckets + 1);
  for (let i = 0; i < sortedKeys.length; i++) ptr[sortedKeys[i] + 1]++;
  for (let b = 0; b < buckets; b++) ptr[b + 1] += ptr[b];
  return ptr;
}
