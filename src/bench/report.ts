/**
 * The benchmark report (`mixtape bench --json FILE`): the environment it ran in, the reference
 * sgemm rate measured in the same run, and one result per case. Times are seconds; every timed
 * case keeps its raw samples so a later comparison can judge noise.
 */
import type { TimingSummary } from './stats.js';

export const REPORT_SCHEMA = 'mixtape-bench/1';

export type SuiteName = 'als' | 'score' | 'ingest' | 'weekly';
export const SUITES: readonly SuiteName[] = ['als', 'score', 'ingest', 'weekly'];
export type ScaleName = 'small' | 'medium' | 'large';
export const SCALES: readonly ScaleName[] = ['small', 'medium', 'large'];

export interface BenchEnvironment {
  cpu_model: string;
  cores: number;
  simd_compiled: string;
  simd_detected: string;
  /** BLAS vendor and configuration, or "none (own kernels)". */
  blas: string;
  /** Top-k's exact 8-bit pre-filter in this build: 'vnni' (on by default), 'avx2' (on request) or 'none' (absent in reports of older versions). */
  topk_prefilter?: string;
  /** Worker threads used by multi-threaded cases. */
  threads: number;
  node: string;
  package_version: string;
  /** `git rev-parse HEAD` of the package, or "unknown". */
  git_commit: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started and ended: a busy machine skews every figure. */
  load_average_start: number[];
  load_average_end?: number[];
}

/** The reference dense product rate, per thread and with all threads at once. */
export interface SgemmRate {
  impl: string;
  /** C (m×n) = A (m×k)·Bᵀ shape. */
  shape: { m: number; n: number; k: number };
  gflops_one_thread: number;
  gflops_all_threads: number;
  threads: number;
}

export interface CaseResult {
  name: string;
  suite: SuiteName;
  params: Record<string, number | string>;
  /** What one sample measures, e.g. "s/iteration". */
  unit: string;
  /** Wall-clock seconds per run. */
  seconds?: TimingSummary;
  samples?: number[];
  /** Process CPU seconds per run (all threads): less sensitive to other load than wall time. */
  cpu_seconds?: TimingSummary;
  /** Rates at the median time: nnz_per_s, users_per_s, events_per_s, gflops. */
  throughput?: Record<string, number>;
  /** Kernel GFLOP/s per thread as a percentage of the one-thread sgemm rate of the same run. */
  sgemm_percent?: number;
  peak_rss_mb?: number;
  /** 'case': the case ran alone in a child process; 'process': peak of a shared process so far. */
  rss_scope?: 'case' | 'process';
  /** Quality checks (e.g. loss agreement) carry a value instead of timings. */
  value?: number;
  detail?: Record<string, unknown>;
  skipped?: string;
  error?: string;
}

/** A target from the performance brief, judged on this report's figures. */
export interface TargetCheck {
  name: string;
  target: string;
  value: number | null;
  /** null: not judged here (not measured, a figure shown beside a target, or judged at another scale). */
  pass: boolean | null;
  /** Why it is not judged, or what the value rests on (e.g. the fitted line of the nonzero sweep). */
  note?: string;
}

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  created: string;
  suites: SuiteName[];
  scale: ScaleName;
  runs: number;
  /** Rounds of the selected cases; each case reports its median round (absent in reports of older versions: 1). */
  rounds?: number;
  environment: BenchEnvironment;
  sgemm: SgemmRate;
  cases: CaseResult[];
  targets: TargetCheck[];
}
