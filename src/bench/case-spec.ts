/**
 * What a benchmark case is, as plain JSON (so it can be handed to a child process), and the list
 * of cases each suite runs at a scale.
 */
import type { ScaleName, SuiteName } from './report.js';

export interface AlsCaseSpec {
  kind: 'als';
  solver: 'cg' | 'cholesky';
  factors: number;
  threads: number;
  /** Nonzeros relative to the scale's matrix (the linearity sweep). */
  nnzFactor: number;
}
export interface ScoreCaseSpec {
  kind: 'score';
  factors: number;
  threads: number;
  n: number;
  /** The kernel's 8-bit pre-filter ('auto': as every caller gets it; 'off': the float kernel alone). */
  prefilter: 'auto' | 'off';
}
export interface LossCaseSpec {
  kind: 'loss';
  factors: number;
  threads: number;
  iterations: number;
}
export interface ScriptCaseSpec {
  kind: 'script';
  script: 'ingest' | 'weekly';
}
export type CaseBody = AlsCaseSpec | ScoreCaseSpec | LossCaseSpec | ScriptCaseSpec;

export interface CaseSpec {
  name: string;
  suite: SuiteName;
  scale: ScaleName;
  runs: number;
  warmup: number;
  body: CaseBody;
}

export interface SuitePlan {
  suites: SuiteName[];
  scale: ScaleName;
  runs: number;
  /** Thread counts for the scaling cases; the largest is used for the sweeps. */
  threads: number[];
}

export function planCases(plan: SuitePlan): CaseSpec[] {
  const { scale, runs } = plan;
  const threads = [...new Set(plan.threads)].sort((a, b) => a - b);
  const top = threads[threads.length - 1];
  const out: CaseSpec[] = [];
  const add = (suite: CaseSpec['suite'], name: string, body: CaseBody, warmup = 1): void => {
    out.push({ name, suite, scale, runs, warmup, body });
  };
  for (const suite of plan.suites) {
    if (suite === 'als') {
      for (const [solver, factors] of [['cg', 64], ['cg', 128], ['cholesky', 64]] as const)
        for (const t of threads) add('als', alsName(solver, factors, t, 1), { kind: 'als', solver, factors, threads: t, nnzFactor: 1 });
      for (const factors of [32, 256]) add('als', alsName('cg', factors, top, 1), { kind: 'als', solver: 'cg', factors, threads: top, nnzFactor: 1 });
      for (const nnzFactor of [0.5, 2, 4])
        add('als', alsName('cg', 64, top, nnzFactor), { kind: 'als', solver: 'cg', factors: 64, threads: top, nnzFactor });
      add('als', `als loss cg vs cholesky k=64 t=${top}`, { kind: 'loss', factors: 64, threads: top, iterations: 15 }, 0);
    } else if (suite === 'score') {
      for (const t of threads) add('score', `score top-50 k=64 t=${t}`, { kind: 'score', factors: 64, threads: t, n: 50, prefilter: 'auto' });
      add('score', `score top-50 k=128 t=${top}`, { kind: 'score', factors: 128, threads: top, n: 50, prefilter: 'auto' });
      // The float kernel alone in the same run: the pre-filter's gain as a ratio.
      add('score', `score top-50 k=64 t=${top} float`, { kind: 'score', factors: 64, threads: top, n: 50, prefilter: 'off' });
    } else {
      add(suite, suite === 'ingest' ? 'ingest' : 'weekly job', { kind: 'script', script: suite });
    }
  }
  return out;
}

export function alsName(solver: string, factors: number, threads: number, nnzFactor: number): string {
  return `als ${solver} k=${factors} t=${threads}${nnzFactor === 1 ? '' : ` nnz×${nnzFactor}`}`;
}
