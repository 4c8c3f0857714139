import { describe, expect, it } from 'vitest';
import { compareReports, formatComparison, parseReport } from '../../src/bench/compare.js';
import { REPORT_SCHEMA, type BenchReport, type CaseResult } from '../../src/bench/report.js';
import { summarize } from '../../src/bench/stats.js';

const timed = (name: string, samples: number[], cpu?: number[]): CaseResult => ({
  name,
  suite: 'als',
  params: {},
  unit: 's/iteration',
  seconds: summarize(samples),
  samples,
  cpu_seconds: cpu ? summarize(cpu) : undefined,
});

function report(cases: CaseResult[], commit = 'a'.repeat(40)): BenchReport {
  return {
    schema: REPORT_SCHEMA,
    created: '2026-01-01T00:00:00.000Z',
    suites: ['als'],
    scale: 'small',
    runs: 5,
    environment: {
      cpu_model: 'cpu',
      cores: 2,
      simd_compiled: 'avx2+fma',
      simd_detected: 'avx2,fma',
      blas: 'none (own kernels)',
      threads: 2,
      node: 'v20',
      package_version: '0.1.0',
      git_commit: commit,
      platform: 'linux-x64',
      load_average_start: [0.1, 0.1, 0.1],
    },
    sgemm: { impl: 'own micro-kernel', shape: { m: 1, n: 1, k: 1 }, gflops_one_thread: 1, gflops_all_threads: 2, threads: 2 },
    cases,
    targets: [],
  };
}

describe('bench compare', () => {
  const older = report([
    timed('fast now', [1.0, 1.1, 1.05, 0.98, 1.02], [2, 2, 2, 2, 2]),
    timed('slow now', [1.0, 1.01, 1.02, 0.99, 1.0]),
    timed('noisy', [1.0, 1.6, 1.2, 0.9, 1.1]),
    timed('dropped', [1, 1, 1]),
    { name: 'loss', suite: 'als', params: {}, unit: 'relative loss difference', value: 0.002 },
  ]);
  const newer = report(
    [
      timed('fast now', [0.5, 0.52, 0.49, 0.51, 0.5], [1, 1, 1.1, 1, 1]),
      timed('slow now', [1.5, 1.52, 1.49, 1.51, 1.6]),
      timed('noisy', [0.8, 1.3, 0.95, 0.85, 1.0]),
      timed('added', [2, 2, 2]),
      { name: 'loss', suite: 'als', params: {}, unit: 'relative loss difference', value: 0.003 },
    ],
    'b'.repeat(40),
  );
  const rows = compareReports(older, newer);
  const by = new Map(rows.map((r) => [r.name, r]));

  it('reports new/old median ratios and CPU ratios', () => {
    expect(by.get('fast now')!.ratio).toBeCloseTo(0.5 / 1.02, 10);
    expect(by.get('fast now')!.cpuRatio).toBeCloseTo(0.5, 10);
    expect(by.get('slow now')!.ratio).toBeCloseTo(1.51 / 1.0, 10);
    expect(by.get('slow now')!.cpuRatio).toBeNull();
  });

  it('claims a change only when the min–max ranges do not overlap', () => {
    expect(by.get('fast now')).toMatchObject({ overlap: false, verdict: 'faster' });
    expect(by.get('slow now')).toMatchObject({ overlap: false, verdict: 'slower' });
    // The median dropped by 0.2 s but the ranges [0.9, 1.6] and [0.8, 1.3] overlap.
    expect(by.get('noisy')!.ratio).toBeLessThan(1);
    expect(by.get('noisy')).toMatchObject({ overlap: true, verdict: 'within noise' });
    expect(by.get('noisy')!.note).toMatch(/overlap/);
  });

  it('lists cases present in only one report and untimed checks', () => {
    expect(by.get('added')!.verdict).toBe('only in new');
    expect(by.get('dropped')!.verdict).toBe('only in old');
    expect(by.get('loss')).toMatchObject({ verdict: 'not timed', ratio: null });
    expect(by.get('loss')!.note).toContain('→');
    expect(rows.map((r) => r.name)).toEqual(['fast now', 'slow now', 'noisy', 'added', 'loss', 'dropped']);
  });

  it('formats a table with the verdicts and both commits', () => {
    const text = formatComparison(rows, older, newer);
    expect(text).toContain('aaaaaaaaaaaa');
    expect(text).toContain('bbbbbbbbbbbb');
    expect(text).toMatch(/noisy\s+1\.1000\s+0\.9500\s+0\.864×\s+—\s+within noise/);
    expect(text).toMatch(/fast now.*0\.490×\s+0\.500×\s+faster/);
  });

  it('rejects files that are not bench reports, naming the file', () => {
    expect(() => parseReport('{', 'old.json')).toThrow(/old\.json: not JSON/);
    expect(() => parseReport('{"cases": []}', 'new.json')).toThrow(/new\.json: not a mixtape bench report/);
    expect(parseReport(JSON.stringify(older), 'x.json').cases).toHaveLength(5);
  });
});
