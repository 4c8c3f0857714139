/**
 * Contiguous parts of an element range for the training pool's threads: the set-up's per-entry
 * and per-factor passes are cut this way, so each thread writes its own slice of shared memory.
 */

/** Below this many elements a part is not worth a task of its own. */
export const MIN_PART = 1 << 16;

/**
 * [begin, end) ranges covering [0, count) in order: at most `parts`, nearly equal, none shorter
 * than `minPart` unless there is only one. There is always at least one (empty when count is 0).
 */
export function evenRanges(count: number, parts: number, minPart = MIN_PART): [number, number][] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`evenRanges: count must be an integer ≥ 0, got ${count}`);
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`evenRanges: parts must be an integer ≥ 1, got ${parts}`);
  const n = Math.max(1, Math.min(parts, Math.floor(count / Math.max(1, minPart))));
  const ranges: [number, number][] = [];
  for (let p = 0; p < n; p++) ranges.push([Math.floor((count * p) / n), Math.floor((count * (p + 1)) / n)]);
  return ranges;
}
