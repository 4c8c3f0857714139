/**
 * TF-IDF weighting of token lists (genres, tags):
 *   tf(t, d)  = 1 + ln(count)                 (sublinear: the 20th "rock" tag adds little)
 *   idf(t)    = ln((1 + N) / (1 + df(t))) + 1 (smoothed; N = documents, df = documents with t)
 *   w(t, d)   = tf · idf, then each document row scaled to unit L2 norm.
 */
export interface SparseRowsF32 {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Smoothed idf per term from document frequencies over `docs` rows. */
export function fitIdf(indptr: Int32Array, indices: Int32Array, terms: number): Float64Array {
  const docs = indptr.length - 1;
  const df = new Float64Array(terms);
  for (let p = 0; p < indptr[docs]; p++) df[indices[p]]++;
  const idf = new Float64Array(terms);
  for (let t = 0; t < terms; t++) idf[t] = Math.log((1 + docs) / (1 + df[t])) + 1;
  return idf;
}

/** L2-normalised TF-IDF rows. Terms at or beyond idf.length (unknown vocabulary) are dropped. */
export function tfidfRows(indptr: Int32Array, indices: Int32Array, counts: Float32Array, idf: Float64Array): SparseRowsF32 {
  const rows = indptr.length - 1;
  const outPtr = new Int32Array(rows + 1);
  let nnz = 0;
  for (let p = 0; p < indptr[rows]; p++) if (indices[p] < idf.length) nnz++;
  const outIdx = new Int32Array(nnz);
  const outVal = new Float32Array(nnz);
  let w = 0;
  for (let r = 0; r < rows; r++) {
    const start = w;
    let norm = 0;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      const t = indices[p];
      if (t >= idf.length || !(counts[p] > 0)) continue;
      const v = (1 + Math.log(counts[p])) * idf[t];
      outIdx[w] = t;
      outVal[w] = v;
      norm += v * v;
      w++;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let q = start; q < w; q++) outVal[q] *= inv;
    outPtr[r + 1] = w;
  }
  return { indptr: outPtr, indices: w === nnz ? outIdx : outIdx.slice(0, w), values: w === nnz ? outVal : outVal.slice(0, w) };
}
