/**
 * `mixtape bench compare OLD NEW`: per case, the ratio of median times (new / old; below 1 is
 * faster) and a verdict that only claims a change when the two runs' min–max ranges do not
 * overlap; overlapping ranges are reported as within noise.
 */
import { REPORT_SCHEMA, type BenchReport, type CaseResult } from './report.js';
import { errorMessage } from '../util/error-message.js';

export type Verdict = 'faster' | 'slower' | 'within noise' | 'only in old' | 'only in new' | 'not timed';

export interface CaseComparison {
  name: string;
  oldMedian: number | null;
  newMedian: number | null;
  /** new / old median seconds. */
  ratio: number | null;
  /** new / old median CPU seconds, when both runs recorded them. */
  cpuRatio: number | null;
  overlap: boolean | null;
  verdict: Verdict;
  note?: string;
}

export function parseReport(text: string, file: string): BenchReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${errorMessage(err)})`);
  }
  const r = data as Partial<BenchReport>;
  if (!r || typeof r !== 'object' || r.schema !== REPORT_SCHEMA || !Array.isArray(r.cases)) {
    throw new Error(`${file}: not a mixtape bench report (expected schema '${REPORT_SCHEMA}' and a cases array)`);
  }
  return r as BenchReport;
}

export function compareReports(older: Pick<BenchReport, 'cases'>, newer: Pick<BenchReport, 'cases'>): CaseComparison[] {
  const oldBy = new Map(older.cases.map((c) => [c.name, c]));
  const newBy = new Map(newer.cases.map((c) => [c.name, c]));
  const names = [...newer.cases.map((c) => c.name), ...older.cases.map((c) => c.name).filter((n) => !newBy.has(n))];
  return names.map((name) => compareCase(name, oldBy.get(name), newBy.get(name)));
}

function compareCase(name: string, a: CaseResult | undefined, b: CaseResult | undefined): CaseComparison {
  const base = { name, oldMedian: a?.seconds?.median ?? null, newMedian: b?.seconds?.median ?? null, ratio: null, cpuRatio: null, overlap: null };
  if (!a) return { ...base, verdict: 'only in new' };
  if (!b) return { ...base, verdict: 'only in old' };
  if (!a.seconds || !b.seconds || !(a.seconds.median > 0)) {
    const note = a.value !== undefined && b.value !== undefined ? `value ${fmt(a.value)} → ${fmt(b.value)}` : (b.error ?? b.skipped ?? a.error ?? a.skipped);
    return { ...base, verdict: 'not timed', note };
  }
  const ratio = b.seconds.median / a.seconds.median;
  const cpuRatio = a.cpu_seconds && b.cpu_seconds && a.cpu_seconds.median > 0 ? b.cpu_seconds.median / a.cpu_seconds.median : null;
  const overlap = b.seconds.min <= a.seconds.max && a.seconds.min <= b.seconds.max;
  const verdict: Verdict = overlap ? 'within noise' : ratio < 1 ? 'faster' : 'slower';
  const note = overlap ? 'min–max ranges overlap: no change claimed' : undefined;
  return { ...base, ratio, cpuRatio, overlap, verdict, note };
}

export function formatComparison(rows: CaseComparison[], older: BenchReport, newer: BenchReport): string {
  const lines = [
    `old: ${older.created} commit ${older.environment.git_commit.slice(0, 12)} load ${older.environment.load_average_start.join(' ')}`,
    `new: ${newer.created} commit ${newer.environment.git_commit.slice(0, 12)} load ${newer.environment.load_average_start.join(' ')}`,
  ];
  if (older.environment.cpu_model !== newer.environment.cpu_model || older.environment.threads !== newer.environment.threads) {
    lines.push(`note: different machines or thread counts (${older.environment.cpu_model} ×${older.environment.threads} vs ${newer.environment.cpu_model} ×${newer.environment.threads}); ratios mix hardware and code`);
  }
  if (older.scale !== newer.scale) lines.push(`note: different scales (${older.scale} vs ${newer.scale}); cases share names but not sizes`);
  const table = rows.map((r) => [
    r.name,
    r.oldMedian === null ? '—' : fmt(r.oldMedian),
    r.newMedian === null ? '—' : fmt(r.newMedian),
    r.ratio === null ? '—' : `${r.ratio.toFixed(3)}×`,
    r.cpuRatio === null ? '—' : `${r.cpuRatio.toFixed(3)}×`,
    r.verdict + (r.note ? ` (${r.note})` : ''),
  ]);
  lines.push(...alignTable([['case', 'old median s', 'new median s', 'new/old', 'cpu new/old', 'verdict'], ...table]));
  return lines.join('\n');
}

export function alignTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}

function fmt(v: number): string {
  return Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(4) : v.toExponential(2);
}
