/**
 * Top-n for every user with heard items excluded (the fused score + top-k kernel), on factors from
 * two ALS iterations of the seeded matrix (trained factors shape the score distribution, and so
 * how often a candidate passes the running threshold). Blocks of users go to `threads` lanes on
 * the native async path. The reference sgemm rate is measured in the same process right before.
 * GFLOP/s count the float products the kernel answers for, whichever path ran (with the 8-bit
 * pre-filter most of them are integer products, so the rate may pass the sgemm rate).
 */
import { scoreTopKAsync, type TopKPath } from '../native/index.js';
import { trainAls } from '../train/als.js';
import { resolveTrainOptions } from '../train/options.js';
import type { CaseSpec, ScoreCaseSpec } from './case-spec.js';
import { cpuSeconds } from './cpu-clock.js';
import { scoreFlops } from './flops.js';
import { benchPool } from './pools.js';
import type { CaseResult } from './report.js';
import { matrixShape } from './scales.js';
import { measureSgemm } from './sgemm-rate.js';
import { summarize } from './stats.js';
import { SYNTHETIC_RECIPE, syntheticMatrix } from './synthetic-matrix.js';

const BLOCK = 4096;

/** The kernel the calls of a case took, as they reported it. */
function kernelName(paths: ReadonlySet<TopKPath>): string {
  if (paths.size !== 1) return paths.size === 0 ? 'none' : 'mixed';
  return paths.has('int8') ? 'int8 pre-filter' : 'float';
}

export async function runScoreCase(spec: CaseSpec & { body: ScoreCaseSpec }): Promise<CaseResult> {
  const b = spec.body;
  const shape = matrixShape(spec.scale);
  const matrix = syntheticMatrix(shape);
  const k = b.factors;
  const trained = await trainAls(matrix, resolveTrainOptions({ ...SYNTHETIC_RECIPE, factors: k, threads: b.threads, iterations: 2, computeLoss: false }), { pool: benchPool(b.threads) });
  const U = trained.userFactors;
  const V = trained.itemFactors;
  const exclude = { indptr: matrix.indptr, indices: matrix.indices };
  const users = shape.users;
  const lanes = Array.from({ length: b.threads }, () => ({ items: new Int32Array(BLOCK * b.n), scores: new Float32Array(BLOCK * b.n) }));

  const paths = new Set<TopKPath>();
  const scoreAll = async (): Promise<void> => {
    let next = 0;
    await Promise.all(
      lanes.map(async (lane) => {
        while (next < users) {
          const begin = next;
          const end = Math.min(users, begin + BLOCK);
          next = end;
          const len = (end - begin) * b.n;
          paths.add(await scoreTopKAsync({ U, V, factors: k, userBegin: begin, userEnd: end, n: b.n, exclude, outItems: lane.items.subarray(0, len), outScores: lane.scores.subarray(0, len), prefilter: b.prefilter }));
        }
      }),
    );
  };
  const sgemm = await measureSgemm(b.threads);
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < spec.warmup + spec.runs; run++) {
    const c0 = cpuSeconds();
    const t0 = performance.now();
    await scoreAll();
    if (run < spec.warmup) continue;
    samples.push((performance.now() - t0) / 1000);
    cpu.push(cpuSeconds() - c0);
  }
  const seconds = summarize(samples);
  const gflops = scoreFlops(users, shape.items, k) / seconds.median / 1e9;
  // On a busy machine wall time includes waiting for a core; CPU time does not.
  const cpuGflops = scoreFlops(users, shape.items, k) / summarize(cpu).median / 1e9;
  return {
    name: spec.name,
    suite: spec.suite,
    params: { factors: k, threads: b.threads, n: b.n, users, items: shape.items, excluded: matrix.indices.length, kernel: kernelName(paths) },
    unit: 's (all users)',
    seconds,
    samples,
    cpu_seconds: summarize(cpu),
    throughput: { users_per_s: Math.round(users / seconds.median), gflops: Math.round(gflops * 10) / 10 },
    sgemm_percent: Math.round(((gflops / b.threads) / sgemm.gflops_one_thread) * 1000) / 10,
    detail: {
      sgemm,
      percent_of_all_thread_sgemm: Math.round((gflops / sgemm.gflops_all_threads) * 1000) / 10,
      gflops_per_cpu_second: Math.round(cpuGflops * 10) / 10,
      percent_of_sgemm_by_cpu_time: Math.round((cpuGflops / sgemm.gflops_one_thread) * 1000) / 10,
    },
  };
}
