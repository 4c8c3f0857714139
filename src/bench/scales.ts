/**
 * Benchmark sizes. `large` is the shape other ALS libraries are timed on (100,000 users × 50,000
 * items × 5.13 M nonzeros); medium is about 1/5 of it and small about 1/50 in every dimension.
 */
import type { ScaleName } from './report.js';
import type { SyntheticMatrixOptions } from './synthetic-matrix.js';

const LARGE = { users: 100_000, items: 50_000, nnz: 5_130_000 };
const FACTOR: Record<ScaleName, number> = { small: 1 / 50, medium: 1 / 5, large: 1 };

/** The seeded matrix of a scale, with its nonzeros multiplied by `nnzFactor` (the linearity sweep). */
export function matrixShape(scale: ScaleName, nnzFactor = 1): Required<Omit<SyntheticMatrixOptions, 'exponent'>> {
  const f = FACTOR[scale];
  return {
    users: Math.round(LARGE.users * f),
    items: Math.round(LARGE.items * f),
    nnz: Math.round(LARGE.nnz * f * nnzFactor),
    seed: 1,
  };
}

/** Arguments of the ingest and weekly-job scripts at each scale. */
export const SCRIPT_SIZES: Record<ScaleName, { events: number; weeklyUsers: number; weeklyTracks: number }> = {
  small: { events: 200_000, weeklyUsers: 2_000, weeklyTracks: 20_000 },
  medium: { events: 2_000_000, weeklyUsers: 20_000, weeklyTracks: 200_000 },
  large: { events: 10_000_000, weeklyUsers: 100_000, weeklyTracks: 200_000 },
};
