/**
 * Seconds per ALS iteration on the seeded matrix: one training run of warmup + runs iterations;
 * each iteration's wall time is taken inside the trainer (both half-steps, gram included), so
 * worker start-up and the first iteration's warm-up are not counted. CPU seconds per iteration
 * (all threads) are recorded too: on a shared machine they move much less than wall time.
 */
import { trainAls } from '../train/als.js';
import { resolveTrainOptions } from '../train/options.js';
import type { AlsCaseSpec, CaseSpec } from './case-spec.js';
import { cpuSeconds } from './cpu-clock.js';
import { alsIterationFlops } from './flops.js';
import { benchPool } from './pools.js';
import type { CaseResult } from './report.js';
import { matrixShape } from './scales.js';
import { summarize } from './stats.js';
import { SYNTHETIC_RECIPE, syntheticMatrix } from './synthetic-matrix.js';

export async function runAlsCase(spec: CaseSpec & { body: AlsCaseSpec }): Promise<CaseResult> {
  const b = spec.body;
  const shape = matrixShape(spec.scale, b.nnzFactor);
  const matrix = syntheticMatrix(shape);
  const cpuMarks: number[] = [];
  const opts = resolveTrainOptions({
    factors: b.factors,
    threads: b.threads,
    solver: b.solver,
    iterations: spec.warmup + spec.runs,
    ...SYNTHETIC_RECIPE,
    computeLoss: false,
    onIteration: () => cpuMarks.push(cpuSeconds()),
  });
  const startCpu = cpuSeconds();
  const r = await trainAls(matrix, opts, { pool: benchPool(b.threads) });
  const samples = r.iterations.slice(spec.warmup).map((i) => i.seconds);
  const cpu = cpuMarks.map((c, i) => c - (i === 0 ? startCpu : cpuMarks[i - 1])).slice(spec.warmup);
  const seconds = summarize(samples);
  const flops = alsIterationFlops({ ...shape, factors: b.factors, solver: b.solver, cgSteps: opts.cgSteps });
  return {
    name: spec.name,
    suite: spec.suite,
    params: { solver: b.solver, factors: b.factors, threads: b.threads, users: shape.users, items: shape.items, nnz: shape.nnz, cg_steps: opts.cgSteps },
    unit: 's/iteration',
    seconds,
    samples,
    cpu_seconds: summarize(cpu),
    throughput: { nnz_per_s: Math.round(shape.nnz / seconds.median), gflops: round((flops / seconds.median) / 1e9) },
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
