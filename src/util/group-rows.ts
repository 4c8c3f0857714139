/**
 * Rows grouped by one key, as columns. Reading a column through a grouped order (a gather) is a
 * random read per entry, and with a million groups spread over a large log every read misses the
 * caches; a counting sort instead gives each row its place, and each column is then written there
 * while the source is read in order. Random writes do not stall the way random reads do: on a
 * 10 M-event log grouped by a million accounts, three columns took about a third of the time.
 */
import { takeArray, type ArrayPool } from './array-pool.js';

type Column = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

export interface RowGroups {
  /** Group g holds places ptr[g] .. ptr[g + 1) (length buckets + 1). */
  ptr: Int32Array;
  /** Place of each row (rows[j] goes to place[j]); rows of a group keep their order. */
  place: Int32Array;
}

/** Groups `rows` (indices into `key`) by `key[row]` in [0, buckets), stably (checked); `place` from `pool` when given. */
export function groupRows(rows: Int32Array, key: ArrayLike<number>, buckets: number, pool?: ArrayPool): RowGroups {
  if (!(Number.isInteger(buckets) && buckets >= 0 && buckets < 2 ** 31)) throw new RangeError(`group rows: buckets must be an integer in [0, 2^31), got ${buckets}`);
  const n = rows.length;
  const ptr = new Int32Array(buckets + 1);
  for (let j = 0; j < n; j++) {
    const g = key[rows[j]];
    if (!(g >= 0 && g < buckets && Number.isInteger(g))) throw new RangeError(`group rows: key ${g} of row ${rows[j]} is not an integer in [0, ${buckets})`);
    ptr[g + 1]++;
  }
  for (let g = 0; g < buckets; g++) ptr[g + 1] += ptr[g];
  const next = ptr.slice(0, buckets);
  const place = takeArray(pool, Int32Array, n, { zeroed: false });
  for (let j = 0; j < n; j++) place[j] = next[key[rows[j]]]++;
  return { ptr, place };
}

/** `column` at `rows`, written to the rows' places: out[place[j]] = column[rows[j]]. */
export function placeColumn<T extends Column>(groups: RowGroups, rows: Int32Array, column: T, out: T): T {
  const { place } = groups;
  if (out.length !== place.length || rows.length !== place.length) throw new RangeError(`place column: ${rows.length} rows, ${place.length} places, ${out.length} outputs`);
  for (let j = 0; j < place.length; j++) out[place[j]] = column[rows[j]];
  return out;
}
