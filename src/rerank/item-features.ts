/**
 * Per-track features the re-ranker reads, as flat typed arrays indexed by model track index.
 * All may live in SharedArrayBuffers so worker threads read them without copies.
 */

export interface ItemFeatures {
  /** Artist index per track, −1 when unknown. */
  artist: Int32Array;
  /** Number of artists (artist indices are < artists). */
  artists: number;
  /** Genre index per track, −1 when unknown (optional). */
  genre?: Int32Array;
  /** How many users played each track (or any exposure count ≥ 0). */
  popularity: Float32Array;
  /** Release time per track, epoch ms; NaN when unknown (optional). */
  releaseMs?: Float64Array;
  /** Unit-length item factors (reasons: which history tracks are most similar). */
  unitFactors: Float32Array;
  factors: number;
  /** Unit-length vectors for the diversity term: content vectors when available, else unitFactors. */
  diversity: Float32Array;
  diversityDim: number;
}

/** Rows scaled to unit length (zero rows stay zero), into `out` when given. */
export function unitRows(src: Float32Array, dim: number, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const rows = src.length / dim;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += src[r * dim + j] * src[r * dim + j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) out[r * dim + j] = src[r * dim + j] * inv;
  }
  return out;
}

/** Distinct users per track of a users × tracks CSR (each entry counts once). */
export function usersPerItem(indices: Int32Array, items: number, out: Float32Array = new Float32Array(items)): Float32Array {
  for (let p = 0; p < indices.length; p++) out[indices[p]]++;
  return out;
}

/** The popularity value at quantile q of the catalog (tracks sorted by popularity). */
export function popularityQuantile(pop: Float32Array, q: number): number {
  if (pop.length === 0) return 0;
  const sorted = Float32Array.from(pop).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))];
}

/** Check lengths; throws a RangeError naming the field. */
export function checkItemFeatures(f: ItemFeatures, items: number): void {
  const want: [string, { length: number } | undefined, number][] = [
    ['artist', f.artist, items],
    ['genre', f.genre, items],
    ['popularity', f.popularity, items],
    ['releaseMs', f.releaseMs, items],
    ['unitFactors', f.unitFactors, items * f.factors],
    ['diversity', f.diversity, items * f.diversityDim],
  ];
  for (const [name, arr, len] of want) {
    if (arr !== undefined && arr.length !== len) throw new RangeError(`item features: ${name} has length ${arr.length}, expected ${len}`);
  }
  for (let i = 0; i < items; i++) {
    if (f.artist[i] >= f.artists) throw new RangeError(`item features: artist[${i}] = ${f.artist[i]} is not below artists = ${f.artists}`);
  }
}
