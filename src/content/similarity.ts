/** Cosine similarity between tracks' content vectors. */
import { topKVectors } from '../retrieve/exact.js';
import type { ContentModel } from './content-model.js';

/** cos(a, b) of two rows of a rows × d matrix; 0 when either row is zero. */
export function cosineRows(x: Float32Array, d: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < d; j++) {
    const u = x[a * d + j];
    const v = x[b * d + j];
    dot += u * v;
    na += u * u;
    nb += v * v;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Content cosine of two tracks by id. */
export function contentCosine(content: ContentModel, a: string, b: string): number {
  const i = content.row(a);
  const j = content.row(b);
  if (i === undefined) throw new RangeError(`contentCosine: unknown track '${a}'`);
  if (j === undefined) throw new RangeError(`contentCosine: unknown track '${b}'`);
  return cosineRows(content.vectors, content.dim, i, j);
}

/** The n tracks most similar in content to a track (itself excluded), best first. */
export async function similarByContent(content: ContentModel, trackId: string, n = 10): Promise<{ trackId: string; score: number }[]> {
  const i = content.row(trackId);
  if (i === undefined) throw new RangeError(`similarByContent: unknown track '${trackId}'`);
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`similarByContent: n must be an integer ≥ 1, got ${n}`);
  const d = content.dim;
  const unit = content.unitVectors();
  const block = await topKVectors(unit.slice(i * d, (i + 1) * d), unit, d, n, { indptr: Int32Array.of(0, 1), indices: Int32Array.of(i) });
  const out: { trackId: string; score: number }[] = [];
  for (let r = 0; r < n && block.items[r] >= 0; r++) out.push({ trackId: content.tracks.ids[block.items[r]], score: block.scores[r] });
  return out;
}
