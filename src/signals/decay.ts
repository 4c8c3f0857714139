/** Exponential time decay of evidence. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Half-lives past which evidence has faded (under 1/16 of a fresh event's): `stale`, `faded_events`. */
export const FADED_HALF_LIVES = 4;

/**
 * Weight of an event `ageMs` old: exp(−ln2 · Δt / halfLife), so evidence halves every half-life.
 * `halfLifeDays` null means no decay (weight 1).
 */
export function decayFactor(ageMs: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null) return 1;
  return Math.exp((-Math.LN2 * ageMs) / (halfLifeDays * DAY_MS));
}

/**
 * The smallest normal float32, 2^-126: the least evidence an event keeps after decay. The
 * evidence is stored as float32, where an event older than ~149 half-lives would round to zero
 * and its entry lose its sign (no longer positive or negative); with this floor an old play stays a
 * positive entry at the base confidence, as one 20 half-lives old is.
 */
export const FAINTEST_EVIDENCE = 2 ** -126;

/** Signed evidence `evidence` of an event `ageMs` old after decay, never rounded away to zero. */
export function decayedEvidence(evidence: number, ageMs: number, halfLifeDays: number | null): number {
  const x = evidence * decayFactor(ageMs, halfLifeDays);
  if (evidence === 0 || Math.abs(x) >= FAINTEST_EVIDENCE) return x;
  return evidence > 0 ? FAINTEST_EVIDENCE : -FAINTEST_EVIDENCE;
}
