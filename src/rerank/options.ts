/** Knobs of the re-ranking stage, their defaults and validation (errors name the option). */

export interface RerankOptions {
  /** Tracks per playlist (default 30). */
  size?: number;
  /**
   * MMR trade-off: 1 = pure relevance, 0 = pure diversity (default 0.9: with the cap of 2 and 20%
   * discoveries, the largest diversity weight that keeps the planted-satisfaction cost under 5% on
   * generated worlds; see test/playlist/generated-world.test.ts).
   */
  lambda?: number;
  /** Candidates (best by relevance) the MMR pass looks at (default 150). */
  mmrPool?: number;
  /**
   * At most this many tracks per artist (default 2). On generated worlds with planted favourite
   * artists a cap of 2 alone costs about 6% of the planted satisfaction against pure top-30 (3:
   * about 1%), which the popularity penalty and λ 0.9 bring back under 5%.
   */
  artistCap?: number;
  /** No genre above this share of the playlist, 0 < share ≤ 1 (default 1 = off). */
  maxGenreShare?: number;
  /** Share of slots for discoveries (default 0.2). */
  explorationShare?: number;
  /** Discoveries come from tracks at or below this catalog popularity quantile (default 0.7). */
  discoveryQuantile?: number;
  /** Discoveries must reach this share of the user's best relevance (default 0.3): they fit the taste. */
  discoveryMinRelevance?: number;
  /** Softmax temperature of the seeded discovery draw (default 0.1; lower = closer to the best). */
  explorationTemperature?: number;
  /** Popularity penalty β: relevance × (1 + popularity)^−β (default 0.1; 0 = off). */
  popularityPenalty?: number;
  /** Relevance boost of a release of age a: boost × 0.5^(a / half-life) (default 0 = off). */
  freshnessBoost?: number;
  freshnessHalfLifeDays?: number;
  /** Reference time for freshness, epoch ms (default: now). */
  asOf?: number;
  /** Seed of the discovery draw (default 42); the same seed, week and user give the same list. */
  seed?: number;
}

export type ResolvedRerankOptions = Required<RerankOptions>;

function num(name: string, v: unknown, dflt: number, lo: number, hi: number, loOpen = false): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v > hi || (loOpen ? v <= lo : v < lo)) {
    throw new RangeError(`rerank: ${name} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

function int(name: string, v: unknown, dflt: number, lo: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo) throw new RangeError(`rerank: ${name} must be an integer ≥ ${lo}, got ${String(v)}`);
  return v;
}

export function resolveRerankOptions(o: RerankOptions = {}): ResolvedRerankOptions {
  return {
    size: int('size', o.size, 30, 1),
    lambda: num('lambda', o.lambda, 0.9, 0, 1),
    mmrPool: int('mmrPool', o.mmrPool, 150, 1),
    artistCap: int('artistCap', o.artistCap, 2, 1),
    maxGenreShare: num('maxGenreShare', o.maxGenreShare, 1, 0, 1, true),
    explorationShare: num('explorationShare', o.explorationShare, 0.2, 0, 1),
    discoveryQuantile: num('discoveryQuantile', o.discoveryQuantile, 0.7, 0, 1),
    discoveryMinRelevance: num('discoveryMinRelevance', o.discoveryMinRelevance, 0.3, 0, 1),
    explorationTemperature: num('explorationTemperature', o.explorationTemperature, 0.1, 0, Infinity, true),
    popularityPenalty: num('popularityPenalty', o.popularityPenalty, 0.1, 0, 10),
    freshnessBoost: num('freshnessBoost', o.freshnessBoost, 0, 0, 10),
    freshnessHalfLifeDays: num('freshnessHalfLifeDays', o.freshnessHalfLifeDays, 14, 0, 3650, true),
    asOf: num('asOf', o.asOf, Date.now(), -8.64e15, 8.64e15),
    seed: int('seed', o.seed, 42, 0),
  };
}
