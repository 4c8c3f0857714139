/** Exponential time decay of evidence. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Weight of an event `ageMs` old: exp(−ln2 · Δt / halfLife), so evidence halves every half-life.
 * `halfLifeDays` null means no decay (weight 1).
 */
export function decayFactor(ageMs: number, halfLifeDays: number | null): number {
  if (halfLifeDays === null) return 1;
  return Math.exp((-Math.LN2 * ageMs) / (halfLifeDays * DAY_MS));
}
