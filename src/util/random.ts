/**
 * mulberry32: the small seeded generator behind every split, draw and synthetic input outside the
 * world generator (which uses sfc32 streams, see src/generate/rng.ts). 32-bit state, the same bits
 * on every platform, cheap enough for per-candidate draws. Callers derive the state from their
 * seed (see `mixSeed`) so that streams for different users or weeks are independent.
 */
export class Mulberry32 {
  /** The 32-bit state; assign to reseed without allocating. */
  state: number;

  constructor(state: number) {
    this.state = state | 0;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in (0, 1): safe under a logarithm. */
  nextOpen(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }
}

/** A closure over a fresh generator: uniform [0, 1) draws from `state`. */
export function mulberry32(state: number): () => number {
  const g = new Mulberry32(state);
  return () => g.next();
}

/** murmur3's 32-bit finaliser: a bijective avalanche mix (also the world generator's seed hash). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash two 32-bit values into one well-mixed 32-bit seed (per-user, per-week streams). */
export function mixSeed(a: number, b: number): number {
  return fmix32(Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35));
}
