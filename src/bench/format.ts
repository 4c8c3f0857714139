/** The human-readable summary of a benchmark report. */
import { alignTable } from './compare.js';
import type { BenchReport, TargetCheck } from './report.js';

export function formatReport(r: BenchReport): string {
  const e = r.environment;
  const lines = [
    `mixtape ${e.package_version} (${e.git_commit.slice(0, 12)}), ${r.scale} scale, ${r.runs} runs per case` +
      ((r.rounds ?? 1) > 1 ? `, ${r.rounds} rounds (each case shows its median round)` : ''),
    `${e.cpu_model}, ${e.cores} cores, SIMD ${e.simd_compiled} (detected ${e.simd_detected}), ${e.blas}, ${e.threads} threads, Node ${e.node}`,
    `load average at start ${e.load_average_start.join(' ')}, at end ${e.load_average_end?.join(' ') ?? '?'}`,
    `sgemm (${r.sgemm.impl}, ${r.sgemm.shape.m}×${r.sgemm.shape.n}×${r.sgemm.shape.k}): ${r.sgemm.gflops_one_thread} GFLOP/s one thread, ${r.sgemm.gflops_all_threads} on ${r.sgemm.threads}`,
    '',
  ];
  const rows = r.cases.map((c) => {
    if (c.error) return [c.name, 'FAILED', '', '', '', '', c.error];
    if (c.skipped) return [c.name, 'skipped', '', '', '', '', c.skipped];
    if (!c.seconds) return [c.name, c.value === undefined ? '' : c.value.toExponential(2), '', '', '', '', c.unit];
    const rate = Object.entries(c.throughput ?? {}).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ');
    return [
      c.name,
      c.seconds.median.toFixed(4),
      `${c.seconds.min.toFixed(4)}–${c.seconds.max.toFixed(4)}`,
      c.cpu_seconds ? c.cpu_seconds.median.toFixed(3) : '',
      c.sgemm_percent === undefined ? '' : `${c.sgemm_percent}%`,
      c.peak_rss_mb === undefined ? '' : `${c.peak_rss_mb}${c.rss_scope === 'process' ? '*' : ''}`,
      `${c.unit}; ${rate}`,
    ];
  });
  lines.push(...alignTable([['case', 'median', 'min–max', 'cpu s', '% sgemm', 'RSS MB', 'unit; throughput'], ...rows]));
  if (r.cases.some((c) => c.rss_scope === 'process')) lines.push('* RSS of the shared process so far (cases ran in-process; use --isolate for per-case RSS)');
  lines.push('', 'targets:');
  lines.push(
    ...alignTable(
      r.targets.map((t) => [t.name, t.target, t.value === null ? '—' : String(t.value), verdict(t)]),
    ),
  );
  for (const t of r.targets) if (t.note) lines.push(`  ${t.name}: ${t.note}`);
  return lines.join('\n');
}

/** pass or FAIL where judged; a value without a verdict (a shown figure, or one judged at another scale) is shown. */
function verdict(t: TargetCheck): string {
  if (t.pass !== null) return t.pass ? 'pass' : 'FAIL';
  return t.value === null ? 'not measured' : 'shown';
}
