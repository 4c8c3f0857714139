/**
 * The reference dense-product rate of this machine, measured in the same run as the kernels so
 * that "% of sgemm" cancels machine speed and, to a degree, load. The shape is square (1024³), the
 * rate BLAS libraries quote; all-thread figures run one product per thread at once.
 */
import { sgemmBench, sgemmBenchAsync, type SgemmBenchArgs } from '../native/index.js';
import type { SgemmRate } from './report.js';

const SHAPE = { m: 1024, n: 1024, k: 1024 };

export async function measureSgemm(threads: number, reps = 3): Promise<SgemmRate> {
  const args: SgemmBenchArgs = { ...SHAPE, reps };
  sgemmBench({ ...args, reps: 1 }); // warm caches and the BLAS's buffers
  // Best of three: the rate is a ceiling, so interference only ever lowers a sample.
  let one = 0;
  let impl = '';
  for (let i = 0; i < 3; i++) {
    const r = sgemmBench(args);
    one = Math.max(one, r.gflops);
    impl = r.impl;
  }
  let all = 0;
  for (let i = 0; i < 3; i++) {
    const rs = await Promise.all(Array.from({ length: threads }, () => sgemmBenchAsync(args)));
    all = Math.max(all, rs.reduce((s, r) => s + r.gflops, 0));
  }
  return { impl, shape: SHAPE, gflops_one_thread: round(one), gflops_all_threads: round(all), threads };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
