/**
 * Seeded normal draws for the randomized SVD's test matrix: mulberry32 for uniforms, Box–Muller
 * for normals. Same seed ⇒ same projection ⇒ same content vectors on every machine.
 */
import { Mulberry32 } from '../util/random.js';

export class SeededNormal {
  private readonly uniforms: Mulberry32;
  private spare = NaN;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.uniforms = new Mulberry32(Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.floor(seed / 4294967296));
  }

  /** Uniform in (0, 1). */
  uniform(): number {
    return this.uniforms.nextOpen();
  }
  /** Standard normal. */
  next(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const a = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(a);
    return r * Math.cos(a);
  }
}
