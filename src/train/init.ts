/**
 * Seeded factor initialisation: uniform values in [0, scale), as implicit does, from a
 * splitmix32 stream so that the same seed gives the same bits on every platform.
 */
export function fillRandom(out: Float32Array, seed: number, scale = 0.01): Float32Array {
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    out[i] = ((z >>> 0) / 4294967296) * scale;
  }
  return out;
}
