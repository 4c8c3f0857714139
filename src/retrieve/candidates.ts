/**
 * Candidate generation: for a block of users, the top-C tracks by score with every exclusion
 * removed, as flat typed arrays (users × C, row-major). Exact candidates come from the native
 * fused score + top-k kernel; the approximate path (hnsw.ts) fills the same layout.
 */
import { scoreTopK, scoreTopKAsync, type CsrArrays, type PreparedItems } from '../native/index.js';

export interface CandidateLists {
  /** Candidates per user. */
  width: number;
  /** users × width track indices, best first; −1 pads users with fewer eligible tracks. */
  items: Int32Array;
  /** Score u·v of each candidate (−Infinity on padding). */
  scores: Float32Array;
}

/** Query rows for the listed users: a view when they are contiguous, else a gathered copy. */
export function userQueries(userFactors: Float32Array, users: Int32Array, k: number): Float32Array {
  const m = users.length;
  let contiguous = m > 0;
  for (let i = 1; i < m && contiguous; i++) contiguous = users[i] === users[0] + i;
  if (contiguous) return userFactors.subarray(users[0] * k, (users[0] + m) * k);
  const out = new Float32Array(m * k);
  for (let i = 0; i < m; i++) out.set(userFactors.subarray(users[i] * k, (users[i] + 1) * k), i * k);
  return out;
}

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`candidates: width must be an integer ≥ 1, got ${width}`);
}

/** Where exactCandidates writes, and what it may start from. */
export interface ExactCandidatesOptions {
  /** Receives the lists (sized m × width) instead of new arrays. */
  reuse?: CandidateLists;
  /** itemFactors quantized once (prepared-items.ts). */
  prepared?: PreparedItems;
}

/** Exact top-`width` per query row (synchronous: for worker threads). */
export function exactCandidates(queries: Float32Array, itemFactors: Float32Array, k: number, width: number, exclude: CsrArrays, opts: ExactCandidatesOptions = {}): CandidateLists {
  const { reuse, prepared } = opts;
  checkWidth(width);
  const m = queries.length / k;
  if (reuse && (reuse.width !== width || reuse.items.length !== m * width || reuse.scores.length !== m * width)) {
    throw new RangeError(`candidates: reused buffer holds ${reuse.items.length / reuse.width} × ${reuse.width}, expected ${m} × ${width}`);
  }
  const out: CandidateLists = reuse ?? { width, items: new Int32Array(m * width), scores: new Float32Array(m * width) };
  if (m > 0) scoreTopK({ U: queries, V: itemFactors, factors: k, userBegin: 0, userEnd: m, n: width, exclude, prepared, outItems: out.items, outScores: out.scores });
  return out;
}

/** `exactCandidates` on the libuv thread pool (keeps the JS thread free). */
export async function exactCandidatesAsync(queries: Float32Array, itemFactors: Float32Array, k: number, width: number, exclude: CsrArrays, opts: Pick<ExactCandidatesOptions, 'prepared'> = {}): Promise<CandidateLists> {
  const { prepared } = opts;
  checkWidth(width);
  const m = queries.length / k;
  const out: CandidateLists = { width, items: new Int32Array(m * width), scores: new Float32Array(m * width) };
  if (m > 0) await scoreTopKAsync({ U: queries, V: itemFactors, factors: k, userBegin: 0, userEnd: m, n: width, exclude, prepared, outItems: out.items, outScores: out.scores });
  return out;
}

/** Mean share of each row of `exact` (first n, −1 ignored) that `approx` also returned. */
export function candidateRecall(approx: CandidateLists, exact: CandidateLists, n: number): number {
  const rows = exact.items.length / exact.width;
  let sum = 0;
  let counted = 0;
  const seen = new Set<number>();
  for (let r = 0; r < rows; r++) {
    seen.clear();
    for (let j = 0; j < approx.width; j++) seen.add(approx.items[r * approx.width + j]);
    let hit = 0;
    let total = 0;
    for (let j = 0; j < Math.min(n, exact.width); j++) {
      const it = exact.items[r * exact.width + j];
      if (it < 0) break;
      total++;
      if (seen.has(it)) hit++;
    }
    if (total > 0) {
      sum += hit / total;
      counted++;
    }
  }
  return counted > 0 ? sum / counted : Number.NaN;
}
