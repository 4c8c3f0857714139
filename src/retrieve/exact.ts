/**
 * Exact retrieval: native batched scoring with a fused top-N that skips each user's excluded
 * items. Large user sets are cut into blocks scored concurrently on the libuv thread pool
 * (async native calls), so the JS thread stays free.
 */
import { scoreTopKAsync, type CsrArrays, type PreparedItems } from '../native/index.js';

export interface TopKBlock {
  /** users × n item indices, −1 where a user had fewer than n eligible items. */
  items: Int32Array;
  scores: Float32Array;
}

export interface ExactScorer {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  factors: number;
  exclude?: CsrArrays;
  itemBias?: Float32Array;
  /** itemFactors (and itemBias) quantized once for the kernel's pre-filter (prepared-items.ts). */
  prepared?: PreparedItems;
}

/** Top-n for the contiguous user rows [begin, end). */
export async function topKRange(s: ExactScorer, begin: number, end: number, n: number): Promise<TopKBlock> {
  const count = Math.max(0, end - begin);
  const out: TopKBlock = { items: new Int32Array(count * n), scores: new Float32Array(count * n) };
  if (count === 0 || n === 0) return out;
  await scoreTopKAsync({
    U: s.userFactors,
    V: s.itemFactors,
    factors: s.factors,
    userBegin: begin,
    userEnd: end,
    n,
    exclude: s.exclude,
    itemBias: s.itemBias,
    prepared: s.prepared,
    outItems: out.items,
    outScores: out.scores,
  });
  return out;
}

/**
 * Top-n for arbitrary query vectors (rows of `queries`, k each) with one exclusion list per
 * query, e.g. folded-in users or a track's neighbours.
 */
export async function topKVectors(
  queries: Float32Array,
  itemFactors: Float32Array,
  factors: number,
  n: number,
  exclude?: CsrArrays,
  itemBias?: Float32Array,
): Promise<TopKBlock> {
  const count = queries.length / factors;
  return topKRange({ userFactors: queries, itemFactors, factors, exclude, itemBias }, 0, count, n);
}

/** Gather the exclusion rows of the listed users into a compact CSR (row i = users[i]). */
export function gatherRows(src: CsrArrays, users: Int32Array): CsrArrays {
  const indptr = new Int32Array(users.length + 1);
  for (let i = 0; i < users.length; i++) {
    const u = users[i];
    indptr[i + 1] = indptr[i] + (u >= 0 ? src.indptr[u + 1] - src.indptr[u] : 0);
  }
  const indices = new Int32Array(indptr[users.length]);
  for (let i = 0; i < users.length; i++) {
    const u = users[i];
    if (u >= 0) indices.set(src.indices.subarray(src.indptr[u], src.indptr[u + 1]), indptr[i]);
  }
  return { indptr, indices };
}

/** Gather factor rows of the listed users (−1 → zero row), into `out` (zeroed, rows.length × k) when given. */
export function gatherFactors(f: Float32Array, rows: Int32Array, k: number, out = new Float32Array(rows.length * k)): Float32Array {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r >= 0) out.set(f.subarray(r * k, (r + 1) * k), i * k);
  }
  return out;
}
