/** Floating-point operations of one ALS iteration and of scoring, for GFLOP/s figures. */

/**
 * One iteration (both half-steps). CG with s steps makes s + 1 passes per row, each 2k² for the
 * gram product and 4k per nonzero (Z·v and Zᵀt). Cholesky builds Σ w y yᵀ (k² per nonzero, the
 * triangle's k(k+1)/2 multiply-adds), factors (k³/3) and forms the right side (2k per nonzero).
 */
export function alsIterationFlops(o: { users: number; items: number; nnz: number; factors: number; solver: 'cg' | 'cholesky'; cgSteps?: number }): number {
  const k = o.factors;
  const rows = o.users + o.items;
  const nnz = 2 * o.nnz; // every nonzero is visited once per half-step
  if (o.solver === 'cg') {
    const passes = (o.cgSteps ?? 3) + 1;
    return passes * (2 * rows * k * k + 4 * nnz * k);
  }
  return nnz * k * (k + 1) + (rows * k * k * k) / 3 + 2 * nnz * k;
}

/** Scores of every (user, item) pair: 2k per pair. */
export function scoreFlops(users: number, items: number, factors: number): number {
  return 2 * users * items * factors;
}
