import { describe, expect, it } from 'vitest';
import { checkTargets } from '../../src/bench/targets.js';
import type { BenchReport, CaseResult } from '../../src/bench/report.js';
import { alsIterationFlops } from '../../src/bench/flops.js';

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

const report = (cases: CaseResult[], scale = 'large'): Pick<BenchReport, 'cases' | 'scale' | 'environment'> =>
  ({ cases, scale, environment: { threads: 2 } }) as unknown as Pick<BenchReport, 'cases' | 'scale' | 'environment'>;

describe('checkTargets: the fused kernel against sgemm', () => {
  it('judges the kernel against the all-thread sgemm rate and, separately, per thread against one thread', () => {
    const checks = checkTargets(report([scoreCase(2, 5.62, 67.9, 78.6)]));
    const all = checks.find((c) => c.name === 'top-50 kernel, % of the 2-thread sgemm rate')!;
    const per = checks.find((c) => c.name === 'top-50 kernel, % of one-thread sgemm per thread')!;
    expect(all).toMatchObject({ value: 78.6, pass: true });
    expect(per).toMatchObject({ value: 67.9, pass: false });
    expect(checks.find((c) => c.name === 'top-50 all users, s (t=2)')).toMatchObject({ value: 5.62, pass: false });
  });

  it('shows the share of sgemm at small scale without judging it (a 0.02 s call is mostly fixed costs)', () => {
    const checks = checkTargets(report([scoreCase(2, 0.022, 5.8, 5.8)], 'small'));
    for (const name of ['top-50 kernel, % of the 2-thread sgemm rate', 'top-50 kernel, % of one-thread sgemm per thread']) {
      expect(checks.find((c) => c.name === name)).toMatchObject({ value: 5.8, pass: null, note: 'applies at --scale large' });
    }
  });

  it('reports a target as not measured when its case did not run', () => {
    const checks = checkTargets(report([]));
    expect(checks.find((c) => c.name === 'top-50 kernel, % of the 2-thread sgemm rate')).toMatchObject({ value: null, pass: null });
  });
});

describe('checkTargets: CG cost against the nonzeros', () => {
  // A CG iteration at the large shape: 150,000 rows, k=64, 3 steps, so a part of the flops is per row.
  const sweep = (seconds: (flops: number, nnz: number) => number): CaseResult[] =>
    [0.5, 1, 2, 4].map((f) => {
      const nnz = Math.round(5_130_000 * f);
      const flops = alsIterationFlops({ users: 100_000, items: 50_000, nnz, factors: 64, solver: 'cg', cgSteps: 3 });
      const median = seconds(flops, nnz);
      return {
        name: `als cg k=64 t=2${f === 1 ? '' : ` nnz×${f}`}`,
        suite: 'als',
        params: { solver: 'cg', factors: 64, threads: 2, nnz },
        unit: 's/iteration',
        seconds: { median, min: median, max: median, runs: 5 },
        throughput: { nnz_per_s: nnz / median, gflops: flops / median / 1e9 },
      } as CaseResult;
    });
  const check = (cases: CaseResult[]) => checkTargets(report(cases)).find((c) => c.name === 'CG k=64 cost linear in nonzeros (0.5×–4×)')!;

  const shown = (cases: CaseResult[]) => checkTargets(report(cases)).find((c) => c.name === 'CG k=64 s per modelled flop over the nonzeros (0.5×–4×)')!;
  const measured = (seconds: number[]) => sweep(() => 0).map((c, i) => ({ ...c, seconds: { median: seconds[i], min: seconds[i], max: seconds[i], runs: 5 } }));

  it('passes a kernel whose time follows the flop model, though its seconds per nonzero fall by 40% from 0.5× to 4×', () => {
    const c = check(sweep((flops) => flops / 45e9));
    expect(c).toMatchObject({ value: 0, pass: true });
  });

  it('passes time that is a fixed part plus a part per nonzero, whatever the fixed part costs, and names the line', () => {
    const cases = sweep((_, nnz) => 0.1 + nnz * 2e-8);
    expect(check(cases)).toMatchObject({ value: 0, pass: true, note: 'line: 0.1000 s + 0.0200 s per million nonzeros' });
    // Per modelled flop the sparsest case looks cheapest: shown, not judged.
    expect(shown(cases).value).toBeGreaterThan(1.25);
    expect(shown(cases)).toMatchObject({ pass: null, target: 'max/min of s per modelled flop' });
  });

  it('measures the miss of the least-squares line by hand', () => {
    // x = 0.5, 1, 2, 4 steps of 5.13 M nonzeros, y = 2, 3, 5, 10 s: mean x 1.875, mean y 5,
    // Sxy 16.5, Sxx 7.1875, slope 264/115 = 2.2957 s a step (0.4475 s per million), fixed part
    // 16/23 = 0.6957 s. The line gives 212/115 = 1.8435 at 0.5, a miss of 0.0783 of 2 s; 2.9913,
    // 5.2870 and 9.8783 at 1, 2, 4 (misses 0.0029, 0.0574, 0.0122).
    expect(check(measured([2, 3, 5, 10]))).toMatchObject({ value: 0.078, pass: true, note: 'line: 0.6957 s + 0.4475 s per million nonzeros' });
    // y = 1, 2, 4, 10: slope 18.625 / 7.1875 = 2.5913, fixed part −0.6087; 0.6870 at 0.5 misses 1 s by 0.313.
    expect(check(measured([1, 2, 4, 10]))).toMatchObject({ value: 0.313, pass: false });
    // A measured sweep (0.155, 0.265, 0.489, 0.95 s) misses its line by at most 1.9%.
    expect(check(measured([0.155, 0.265, 0.489, 0.95]))).toMatchObject({ value: 0.019, pass: true });
  });

  it('fails a kernel whose time per nonzero grows with the nonzeros', () => {
    const c = check(sweep((flops, nnz) => (flops / 45e9) * (1 + nnz / 10_000_000)));
    expect(c.pass).toBe(false);
    expect(c.value).toBeGreaterThan(0.1);
    // As nnz^1.2: 0.2 s at 1×.
    expect(check(sweep((_, nnz) => 0.2 * (nnz / 5_130_000) ** 1.2))).toMatchObject({ pass: false });
  });

  it('fails time that does not grow with the nonzeros', () => {
    expect(check(measured([0.8, 0.4, 0.2, 0.2]))).toMatchObject({ value: null, pass: false });
  });

  it('reports the check as not measured without the sweep', () => {
    expect(check([])).toMatchObject({ value: null, pass: null });
    expect(check(sweep((flops) => flops / 45e9).slice(0, 2))).toMatchObject({ value: null, pass: null });
  });

  it('shows the spread and the thread scaling at small scale without judging them (iterations of milliseconds)', () => {
    const small = checkTargets(report(sweep((flops, nnz) => (flops / 45e9) * (1 + nnz / 1_000_000)), 'small'));
    const linear = small.find((c) => c.name === 'CG k=64 cost linear in nonzeros (0.5×–4×)')!;
    expect(linear.value).toBeGreaterThan(0.1);
    expect(linear.pass).toBeNull();
    expect(linear.note).toMatch(/^applies at --scale large; line: /);
    const iteration = (threads: number, median: number) =>
      ({ name: `als cg k=64 t=${threads}`, suite: 'als', params: {}, unit: 's/iteration', seconds: { median, min: median, max: median, runs: 5 } }) as CaseResult;
    const loss = { name: 'als loss cg vs cholesky k=64 t=2', suite: 'als', params: {}, unit: 'relative loss difference', value: 0.02 } as CaseResult;
    for (const scale of ['small', 'large']) {
      const checks = checkTargets(report([iteration(1, 0.012), iteration(2, 0.01), loss], scale));
      expect(checks.find((c) => c.name === 'cg k=64 speed-up 1→2 threads')).toMatchObject({ value: 1.2, pass: scale === 'large' ? false : null });
      expect(checks.find((c) => c.name === 'CG vs Cholesky loss after 15 iterations')).toMatchObject({ value: 0.02, pass: false });
    }
  });
});
