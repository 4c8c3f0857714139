import { describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/bench/targets.js';
import type { BenchReport, CaseResult } from '../../src/bench/report.js';

function scoreCase(threads: number, median: number, perThread: number, allThreads: number): CaseResult {
  return {
    name: `score top-50 k=64 t=${threads}`,
    suite: 'score',
    params: { factors: 64, threads, n: 50 },
    unit: 's (all users)',
    seconds: { median, min: median, max: median, runs: 5 },
    sgemm_percent: perThread,
    detail: { percent_of_all_thread_sgemm: allThreads },
  } as CaseResult;
}

const report = (cases: CaseResult[]): Pick<BenchReport, 'cases' | 'scale' | 'environment'> =>
  ({ cases, scale: 'large', environment: { threads: 2 } }) as unknown as Pick<BenchReport, 'cases' | 'scale' | 'environment'>;

describe('checkTargets: the fused kernel against sgemm', () => {
  it('judges the kernel against the all-thread sgemm rate and, separately, per thread against one thread', () => {
    const checks = checkTargets(report([scoreCase(2, 5.62, 67.9, 78.6)]));
    const all = checks.find((c) => c.name === 'top-50 kernel, % of the 2-thread sgemm rate')!;
    const per = checks.find((c) => c.name === 'top-50 kernel, % of one-thread sgemm per thread')!;
    expect(all).toMatchObject({ value: 78.6, pass: true });
    expect(per).toMatchObject({ value: 67.9, pass: false });
    expect(checks.find((c) => c.name === 'top-50 all users, s (t=2)')).toMatchObject({ value: 5.62, pass: false });
  });

  it('reports a target as not measured when its case did not run', () => {
    const checks = checkTargets(report([]));
    expect(checks.find((c) => c.name === 'top-50 kernel, % of the 2-thread sgemm rate')).toMatchObject({ value: null, pass: null });
  });
});
