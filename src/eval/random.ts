import { Mulberry32, mixSeed } from '../util/random.js';

/**
 * A small seeded pseudo-random generator (mulberry32) so every split, baseline and bootstrap is
 * reproducible from its seed alone, independent of Math.random and of call order across users.
 */
export class SeededRandom extends Mulberry32 {
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`SeededRandom: seed must be a finite number, got ${seed}`);
    super(mixSeed(seed >>> 0, Math.floor(seed / 4294967296) >>> 0));
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** Generator for one user's stream, so a user's draws do not depend on which users came before. */
export function userRandom(seed: number, user: number): SeededRandom {
  return new SeededRandom(mixSeed(seed >>> 0, user >>> 0));
}
