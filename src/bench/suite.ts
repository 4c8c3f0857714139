/**
 * Runs benchmark suites: the reference sgemm rate first, then each case (in a child process when
 * `isolate`, so its peak RSS is its own), in one or more rounds (rounds.ts), and assembles the
 * report with the targets judged.
 * Per-case progress goes to `log`.
 */
import { closeBenchPools } from './pools.js';
import { errorMessage } from '../util/error-message.js';
import { planCases, type CaseSpec, type SuitePlan } from './case-spec.js';
import { benchEnvironment, loadAverage } from './environment.js';
import { REPORT_SCHEMA, type BenchReport, type CaseResult } from './report.js';
import { medianRound } from './rounds.js';
import { runCaseHere, type InProcessSpec } from './run-case.js';
import { runCaseInChild } from './run-child.js';
import { runScriptCases } from './script-case.js';
import { measureSgemm } from './sgemm-rate.js';
import { checkTargets } from './targets.js';

export interface SuiteOptions extends SuitePlan {
  /** Run each in-process case in its own child process (default: for medium and large). */
  isolate?: boolean;
  /** Only these cases: an exact case name, or text contained in case names. */
  only?: string[];
  /** Run the selected cases this many times, round after round, and report each case's median round (default 1). */
  rounds?: number;
  log?: (line: string) => void;
}

export async function runSuites(o: SuiteOptions): Promise<BenchReport> {
  const log = o.log ?? (() => {});
  const threads = Math.max(...o.threads);
  const isolate = o.isolate ?? o.scale !== 'small';
  const environment = benchEnvironment(threads);
  log(`load average ${environment.load_average_start.join(' ')}; measuring the sgemm reference rate`);
  const sgemm = await measureSgemm(threads);
  log(`sgemm ${sgemm.impl}: ${sgemm.gflops_one_thread} GFLOP/s on one thread, ${sgemm.gflops_all_threads} on ${threads}`);
  const specs = selectCases(planCases(o), o.only);
  const rounds = Math.max(1, o.rounds ?? 1);
  // A spec may yield several results (a script's cases), so rounds are matched by result name.
  const byName = new Map<string, CaseResult[]>();
  try {
    for (let round = 1; round <= rounds; round++) {
      if (rounds > 1) log(`round ${round} of ${rounds}`);
      for (const spec of specs) {
        const started = performance.now();
        const results = await runOne(spec, isolate, threads);
        for (const r of results) {
          const seen = byName.get(r.name);
          if (seen) seen.push(r);
          else byName.set(r.name, [r]);
          log(describe(r, (performance.now() - started) / 1000));
        }
      }
    }
  } finally {
    await closeBenchPools();
  }
  const cases = [...byName.values()].map(medianRound);
  const report: BenchReport = {
    schema: REPORT_SCHEMA,
    created: new Date().toISOString(),
    suites: o.suites,
    scale: o.scale,
    runs: o.runs,
    rounds,
    environment: { ...environment, load_average_end: loadAverage() },
    sgemm,
    cases,
    targets: [],
  };
  report.targets = checkTargets(report);
  return report;
}

/** An --only entry equal to a case name selects that case; otherwise every case containing it. */
export function selectCases(all: CaseSpec[], only: string[] | undefined): CaseSpec[] {
  if (!only?.length) return all;
  const names = new Set(all.map((c) => c.name));
  return all.filter((c) => only.some((s) => (names.has(s) ? c.name === s : c.name.includes(s))));
}

async function runOne(spec: CaseSpec, isolate: boolean, threads: number): Promise<CaseResult[]> {
  try {
    if (spec.body.kind === 'script') return runScriptCases(spec as CaseSpec & { body: typeof spec.body }, threads);
    const inProcess = spec as InProcessSpec;
    return [isolate ? await runCaseInChild(inProcess) : await runCaseHere(inProcess, 'process')];
  } catch (err) {
    return [{ name: spec.name, suite: spec.suite, params: {}, unit: '', error: errorMessage(err) }];
  }
}

function describe(r: CaseResult, wall: number): string {
  if (r.error) return `${r.name}: FAILED ${r.error}`;
  if (r.skipped) return `${r.name}: skipped (${r.skipped})`;
  if (r.value !== undefined) return `${r.name}: ${r.value.toExponential(2)} (${wall.toFixed(1)} s)`;
  const s = r.seconds!;
  return `${r.name}: median ${s.median.toFixed(4)} ${r.unit} [${s.min.toFixed(4)}–${s.max.toFixed(4)}] (${wall.toFixed(1)} s)`;
}
