/**
 * Does the fast solver reach the same objective? Trains the scale's matrix for 15 iterations with
 * CG and with Cholesky from the same start and compares the final losses (target: within 1%);
 * then, on a small matrix, compares both against a float64 trainer run from the same start.
 */
import { implicitLoss } from '../native/index.js';
import { transposeCsr } from '../data/csr-transpose.js';
import { trainAls } from '../train/als.js';
import { confidenceFromWeights } from '../train/confidence.js';
import { fillRandom } from '../train/init.js';
import { resolveTrainOptions } from '../train/options.js';
import type { Interactions } from '../types.js';
import type { CaseSpec, LossCaseSpec } from './case-spec.js';
import { halfStepFloat64 } from './float64-als.js';
import { benchPool } from './pools.js';
import type { CaseResult } from './report.js';
import { matrixShape } from './scales.js';
import { SYNTHETIC_RECIPE, syntheticMatrix } from './synthetic-matrix.js';

const { regularization: REG, alpha: ALPHA, confidence: MODE, epsilon: EPS } = SYNTHETIC_RECIPE;

export async function runLossCase(spec: CaseSpec & { body: LossCaseSpec }): Promise<CaseResult> {
  const b = spec.body;
  const matrix = syntheticMatrix(matrixShape(spec.scale));
  const cg = await finalLoss(matrix, b.factors, b.iterations, b.threads, 'cg');
  const chol = await finalLoss(matrix, b.factors, b.iterations, b.threads, 'cholesky');

  // The float64 reference: a small matrix and k = 16 keep the JS trainer to a second or two.
  const small = syntheticMatrix({ users: 300, items: 200, nnz: 6000, seed: 11 });
  const k = 16;
  const ref = float64Loss(small, k, b.iterations);
  const smallCg = await finalLoss(small, k, b.iterations, 1, 'cg');
  const smallChol = await finalLoss(small, k, b.iterations, 1, 'cholesky');
  const rel = (a: number, r: number): number => Math.abs(a - r) / Math.abs(r);
  const value = rel(cg, chol);
  return {
    name: spec.name,
    suite: spec.suite,
    params: { factors: b.factors, iterations: b.iterations, threads: b.threads, regularization: REG, alpha: ALPHA },
    unit: 'relative loss difference',
    value,
    detail: {
      cg_loss: cg,
      cholesky_loss: chol,
      target: 0.01,
      pass: value <= 0.01,
      float64_reference: {
        shape: { users: 300, items: 200, nnz: small.indices.length, factors: k },
        float64_loss: ref,
        cg_loss: smallCg,
        cholesky_loss: smallChol,
        cg_vs_float64: rel(smallCg, ref),
        cholesky_vs_float64: rel(smallChol, ref),
      },
    },
  };
}

async function finalLoss(m: Interactions, k: number, iterations: number, threads: number, solver: 'cg' | 'cholesky'): Promise<number> {
  const opts = resolveTrainOptions({ factors: k, iterations, threads, solver, ...SYNTHETIC_RECIPE, computeLoss: false });
  const r = await trainAls(m, opts, { pool: benchPool(threads) });
  const conf = confidenceFromWeights(m.weight, ALPHA, MODE, EPS);
  return implicitLoss({ indptr: m.indptr, indices: m.indices, pref: m.pref, conf, X: r.userFactors, Y: r.itemFactors, factors: k, regularization: REG }).normalized;
}

/** The same start as trainAls (seed 42 defaults), solved in float64; the loss by the native routine. */
function float64Loss(m: Interactions, k: number, iterations: number): number {
  const users = m.users.size;
  const items = m.items.size;
  const seed = resolveTrainOptions({}).seed;
  const conf = confidenceFromWeights(m.weight, ALPHA, MODE, EPS);
  const X = Float64Array.from(fillRandom(new Float32Array(users * k), seed));
  const Y = Float64Array.from(fillRandom(new Float32Array(items * k), (seed ^ 0x5bd1e995) >>> 0));
  const t = transposeCsr({ rows: users, cols: items, indptr: m.indptr, indices: m.indices, values: [m.pref, conf] });
  const byUser = { rows: users, cols: items, indptr: m.indptr, indices: m.indices, pref: m.pref, conf };
  const byItem = { rows: items, cols: users, indptr: t.indptr, indices: t.indices, pref: t.values[0], conf: t.values[1] };
  for (let it = 0; it < iterations; it++) {
    halfStepFloat64(byUser, X, Y, k, REG);
    halfStepFloat64(byItem, Y, X, k, REG);
  }
  return implicitLoss({ indptr: m.indptr, indices: m.indices, pref: m.pref, conf, X: Float32Array.from(X), Y: Float32Array.from(Y), factors: k, regularization: REG }).normalized;
}
