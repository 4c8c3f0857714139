/**
 * Seeded factor initialisation: uniform values in [0, scale), as implicit does, from a
 * splitmix32 stream so that the same seed gives the same bits on every platform. The stream is
 * counter-based (element i's state is seed + (i + 1)·γ), so any range of `out` can be filled on
 * its own, by any thread, and gives the bits the whole fill gives there.
 */
import { checkRange } from '../util/check-range.js';

const GAMMA = 0x9e3779b9;

export function fillRandom(out: Float32Array, seed: number, scale = 0.01, begin = 0, end = out.length): Float32Array {
  checkRange('fillRandom', begin, end, out.length);
  let state = ((seed >>> 0) + Math.imul(begin, GAMMA)) | 0;
  for (let i = begin; i < end; i++) {
    state = (state + GAMMA) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    out[i] = ((z >>> 0) / 4294967296) * scale;
  }
  return out;
}
