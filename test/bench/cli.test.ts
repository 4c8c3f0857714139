import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/bench/report.js';

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'src/cli/main.ts');
let dir: string;

function mixtape(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-bench-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mixtape bench', () => {
  it('reports every file the ingest suite reads, the CSV read in byte ranges with its threads', async () => {
    const file = path.join(dir, 'ingest.json');
    const r = mixtape('bench', '--suite', 'ingest', '--scale', 'small', '--runs', '1', '--no-isolate', '--json', file);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(await readFile(file, 'utf8')) as BenchReport;
    const cases = report.cases.filter((c) => c.suite === 'ingest');
    expect(cases.map((c) => c.name)).toEqual(['ingest parquet', 'ingest parquet_zstd', 'ingest parquet_plain_ids', 'ingest csv', 'ingest csv_threads']);
    for (const c of cases) expect(c.throughput?.events_per_s).toBeGreaterThan(0);
    expect(cases[3].params.read_threads).toBeUndefined();
    const threads = Math.min(8, os.availableParallelism());
    expect(cases[4].params.read_threads).toBe(threads > 1 ? threads : undefined);
  });

  it('runs the small ALS suite and writes the documented report fields', async () => {
    const file = path.join(dir, 'als.json');
    const r = mixtape('bench', '--suite', 'als', '--scale', 'small', '--json', file);
    expect(r.stderr).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(file, 'utf8')) as BenchReport;
    expect(report.schema).toBe('mixtape-bench/1');
    expect(report).toMatchObject({ suites: ['als'], scale: 'small', runs: 5 });
    const env = report.environment;
    for (const key of ['cpu_model', 'simd_compiled', 'simd_detected', 'blas', 'node', 'package_version', 'git_commit'] as const) {
      expect(typeof env[key]).toBe('string');
      expect(env[key].length).toBeGreaterThan(0);
    }
    expect(env.git_commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(['vnni', 'avx2', 'none']).toContain(env.topk_prefilter);
    expect(env.threads).toBeGreaterThanOrEqual(1);
    expect(env.load_average_start).toHaveLength(3);
    expect(report.sgemm.gflops_one_thread).toBeGreaterThan(0);

    const timedCases = report.cases.filter((c) => c.seconds);
    expect(timedCases.map((c) => c.name)).toContain('als cg k=64 t=1');
    expect(timedCases.map((c) => c.name)).toContain('als cholesky k=64 t=1');
    for (const c of timedCases) {
      expect(c.samples).toHaveLength(5);
      expect(c.seconds!.min).toBeLessThanOrEqual(c.seconds!.median);
      expect(c.seconds!.median).toBeLessThanOrEqual(c.seconds!.max);
      expect(c.throughput!.nnz_per_s).toBeGreaterThan(0);
      expect(c.throughput!.gflops).toBeGreaterThan(0);
      expect(c.cpu_seconds!.runs).toBe(5);
      expect(c.peak_rss_mb).toBeGreaterThan(0);
    }
    // Every nonzero sweep point has exactly its share of nonzeros.
    const nnz = (name: string) => Number(report.cases.find((c) => c.name === name)!.params.nnz);
    expect(nnz('als cg k=64 t=2 nnz×4') / nnz('als cg k=64 t=1')).toBeCloseTo(4, 6);
    const loss = report.cases.find((c) => c.unit === 'relative loss difference')!;
    expect(loss.value).toBeLessThan(0.01);
    const ref = (loss.detail as { float64_reference: { cholesky_vs_float64: number } }).float64_reference;
    expect(ref.cholesky_vs_float64).toBeLessThan(1e-3);
    expect(report.targets.find((t) => t.name.startsWith('CG vs Cholesky loss'))!.pass).toBe(true);
    expect(r.stdout).toContain('targets:');
    // The nonzero sweep's line is given with its check; the per-flop spread beside it is shown, never judged.
    const linear = report.targets.find((t) => t.name === 'CG k=64 cost linear in nonzeros (0.5×–4×)')!;
    expect(linear).toMatchObject({ pass: null });
    // (At small scale the cases take milliseconds; a noisy sweep may even fail to grow.)
    expect(linear.note).toMatch(/^applies at --scale large; (line: -?\d+\.\d{4} s \+ \d+\.\d{4} s per million nonzeros|time does not grow with the nonzeros)$/);
    expect(r.stdout).toContain(`  CG k=64 cost linear in nonzeros (0.5×–4×): ${linear.note}`);
    expect(r.stdout).toMatch(/CG k=64 s per modelled flop over the nonzeros \(0\.5×–4×\) +max\/min of s per modelled flop +[\d.]+ +shown/);
  }, 120_000);

  it('--rounds runs the selected cases round after round and reports the median round of each', async () => {
    const file = path.join(dir, 'rounds.json');
    const r = mixtape('bench', '--suite', 'als', '--scale', 'small', '--rounds', '3', '--runs', '2', '--threads', '1', '--only', 'als cg k=32 t=1', 'als cg k=64 t=1', '--json', file);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/^round \d of 3$/gm)).toEqual(['round 1 of 3', 'round 2 of 3', 'round 3 of 3']);
    expect(r.stdout).toMatch(/2 runs per case, 3 rounds \(each case shows its median round\)/);
    const report = JSON.parse(await readFile(file, 'utf8')) as BenchReport;
    expect(report.rounds).toBe(3);
    expect(report.cases.map((c) => c.name).sort()).toEqual(['als cg k=32 t=1', 'als cg k=64 t=1']);
    for (const c of report.cases) {
      const medians = (c.detail as { round_medians: number[] }).round_medians;
      expect(medians).toHaveLength(3);
      expect(c.seconds!.median).toBe([...medians].sort((a, b) => a - b)[1]);
      expect(c.samples).toHaveLength(2);
    }
    const zero = mixtape('bench', '--rounds', '0');
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toMatch(/--rounds.*expected an integer ≥ 1, got '0'/);
  }, 120_000);

  it('compare prints ratios for two reports and rejects a non-report', async () => {
    const file = path.join(dir, 'als.json');
    const r = mixtape('bench', 'compare', file, file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/als cg k=64 t=1\s.*1\.000×.*within noise/);
    const bad = mixtape('bench', 'compare', file, path.join(root, 'package.json'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/package\.json: not a mixtape bench report/);
    const missing = mixtape('bench', 'compare', file, path.join(dir, 'old.json'));
    expect(missing.stderr).toBe(`mixtape: ${path.join(dir, 'old.json')}: cannot open: no such file\n`);
  }, 60_000);
});
