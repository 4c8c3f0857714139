/**
 * The evaluation report: one self-contained HTML page (inline CSS and SVG, no scripts, no network)
 * with the configuration, metric tables with bootstrap intervals, NDCG@K and recall@K curves,
 * the popularity profile of recommendations, training loss, the accuracy–diversity trade-off and
 * example users. Sections without data say "not available" instead of drawing an empty chart.
 */
import type { EvalAtK, EvalResult } from './evaluate.js';
import { escapeHtml } from './html.js';
import type { Interval, PairedResult } from './stats.js';
import { barChart, fmt, lineChart, scatterChart } from './svg-chart.js';

export interface ReportTrack {
  title: string;
  artist?: string;
  /** A short note: play count for history, the reason for a playlist entry. */
  detail?: string;
}

export interface ReportExample {
  user: string;
  history: ReportTrack[];
  playlist: ReportTrack[];
}

export interface ReportData {
  title?: string;
  /** ISO time of the run, shown as given. */
  generatedAt?: string;
  /** Run settings (dataset, split, model parameters…). */
  config: Record<string, string | number | boolean | null>;
  /** One result per ranker: the model and the baselines. */
  metrics: EvalResult[];
  /** Name of the model's result, highlighted in tables (default: the first). */
  model?: string;
  /** Paired significance tests between rankers. */
  comparisons?: { a: string; b: string; metric: string; k: number; result: PairedResult }[];
  /** Training popularity per catalog item, and the items each ranker recommended (−1 ignored). */
  popularity?: { itemPopularity: ArrayLike<number>; recommended: { name: string; items: ArrayLike<number> }[] };
  trainingLoss?: { iteration: number; loss: number; seconds?: number }[];
  /** One point per re-ranking setting. */
  tradeoff?: { label: string; ndcg: number; diversity: number }[];
  examples?: ReportExample[];
}

const INTERVAL_COLUMNS: [keyof EvalAtK, string][] = [
  ['precision', 'Precision'],
  ['recall', 'Recall'],
  ['map', 'MAP'],
  ['ndcg', 'NDCG'],
  ['hitRate', 'Hit rate'],
  ['mrr', 'MRR'],
  ['serendipity', 'Serendipity'],
];
const PLAIN_COLUMNS: [keyof EvalAtK, string][] = [
  ['catalogCoverage', 'Coverage'],
  ['novelty', 'Novelty (bits)'],
  ['popularityLift', 'Pop. lift'],
  ['intraListDiversity', 'ILD'],
  ['artistDiversity', 'Artist div.'],
  ['artistGini', 'Artist Gini'],
];

/** Render the report page. */
export function renderReport(data: ReportData): string {
  if (!data || typeof data.config !== 'object' || data.config === null) throw new TypeError('renderReport: data.config is required');
  if (!Array.isArray(data.metrics)) throw new TypeError('renderReport: data.metrics must be an array of EvalResult');
  const title = data.title ?? 'mixtape evaluation report';
  const model = data.model ?? data.metrics[0]?.ranker;
  const sections = [
    section('Configuration', configTable(data)),
    section('Metrics', metricTables(data.metrics, model)),
    section('Paired comparisons', data.comparisons?.length ? comparisonTable(data.comparisons) : na()),
    section('Accuracy by cut-off', curves(data.metrics)),
    section('Popularity of recommended tracks', popularitySection(data.popularity)),
    section('Training loss', lossSection(data.trainingLoss)),
    section('Accuracy–diversity trade-off', tradeoffSection(data.tradeoff)),
    section('Example users', examplesSection(data.examples)),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1>${data.generatedAt ? `<p class="meta">Generated ${escapeHtml(data.generatedAt)}</p>` : ''}</header>
${sections.join('\n')}
<footer><p class="meta">Intervals are percentile bootstrap intervals over users. Users without test items are excluded from averages. Precision divides by K; recall divides by the user's number of test items.</p></footer>
</body>
</html>
`;
}

function section(heading: string, body: string): string {
  return `<section><h2>${escapeHtml(heading)}</h2>${body}</section>`;
}

function na(): string {
  return '<p class="na">not available</p>';
}

function configTable(data: ReportData): string {
  const rows = Object.entries(data.config)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v === null ? '–' : String(v))}</td></tr>`)
    .join('');
  return rows ? `<table class="config">${rows}</table>` : na();
}

function metricTables(results: EvalResult[], model: string | undefined): string {
  if (results.length === 0) return na();
  const ks = [...new Set(results.flatMap((r) => r.ks))].sort((a, b) => a - b);
  const users = results
    .map((r) => `<li><b>${escapeHtml(r.ranker)}</b>: ${r.usersEvaluated} users evaluated, ${r.usersExcluded} without test items excluded, ${fmt(r.seconds.total)} s</li>`)
    .join('');
  const tables = ks.map((k) => {
    const head = ['Ranker', ...INTERVAL_COLUMNS.map((c) => `${c[1]}@${k}`), ...PLAIN_COLUMNS.map((c) => c[1])].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
    const body = results
      .map((r) => {
        const at = r.atK.find((a) => a.k === k);
        const cls = r.ranker === model ? ' class="model"' : '';
        if (!at) return `<tr${cls}><th>${escapeHtml(r.ranker)}</th><td colspan="${INTERVAL_COLUMNS.length + PLAIN_COLUMNS.length}">not available</td></tr>`;
        const cells = [
          ...INTERVAL_COLUMNS.map((c) => intervalCell(at[c[0]] as Interval | null)),
          ...PLAIN_COLUMNS.map((c) => `<td>${at[c[0]] === null ? '–' : fmt(at[c[0]] as number)}</td>`),
        ];
        return `<tr${cls}><th>${escapeHtml(r.ranker)}</th>${cells.join('')}</tr>`;
      })
      .join('');
    return `<h3>K = ${k}</h3><div class="scroll"><table class="metrics"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
  });
  return `<ul class="counts">${users}</ul>${tables.join('')}`;
}

function intervalCell(v: Interval | null): string {
  if (!v || !Number.isFinite(v.mean)) return '<td>–</td>';
  return `<td>${v.mean.toFixed(4)}<span class="ci">[${v.low.toFixed(4)}, ${v.high.toFixed(4)}]</span></td>`;
}

function comparisonTable(list: NonNullable<ReportData['comparisons']>): string {
  const rows = list
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.a)} − ${escapeHtml(c.b)}</td><td>${escapeHtml(c.metric)}@${c.k}</td><td>${fmt(c.result.meanDiff)}<span class="ci">[${fmt(c.result.low)}, ${fmt(c.result.high)}]</span></td><td>${fmt(c.result.pValue)}</td><td>${c.result.significant ? 'yes' : 'no'}</td></tr>`,
    )
    .join('');
  return `<table class="metrics"><thead><tr><th>Pair</th><th>Metric</th><th>Mean difference</th><th>p</th><th>Significant</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function curves(results: EvalResult[]): string {
  const series = (metric: 'ndcg' | 'recall') =>
    results.map((r) => ({ label: r.ranker, points: r.atK.map((a) => [a.k, a[metric].mean] as [number, number]) }));
  const ks = [...new Set(results.flatMap((r) => r.ks))].sort((a, b) => a - b);
  const any = results.some((r) => r.atK.length > 0);
  if (!any) return na();
  return `<div class="charts">${lineChart({ name: 'ndcg-at-k', title: 'NDCG@K', xLabel: 'K', yLabel: 'NDCG', series: series('ndcg'), xTicks: ks })}${lineChart({ name: 'recall-at-k', title: 'Recall@K', xLabel: 'K', yLabel: 'recall', series: series('recall'), xTicks: ks })}</div>`;
}

/** Items per log2 popularity bin ("0", "1", "2–3", "4–7", …) as a share of the total, in %. */
function popularitySection(pop: ReportData['popularity']): string {
  if (!pop || pop.itemPopularity.length === 0) return na();
  const itemPop = pop.itemPopularity;
  let maxBin = 0;
  for (let i = 0; i < itemPop.length; i++) maxBin = Math.max(maxBin, binOf(itemPop[i]));
  const categories = Array.from({ length: maxBin + 1 }, (_, b) => binLabel(b));
  const shares = (items: ArrayLike<number> | null): number[] => {
    const counts = new Float64Array(maxBin + 1);
    let total = 0;
    const n = items ? items.length : itemPop.length;
    for (let j = 0; j < n; j++) {
      const i = items ? items[j] : j;
      if (!(i >= 0 && i < itemPop.length)) continue;
      counts[binOf(itemPop[i])]++;
      total++;
    }
    return Array.from(counts, (c) => (total > 0 ? (100 * c) / total : 0));
  };
  const series = [{ label: 'catalog', values: shares(null) }, ...pop.recommended.map((r) => ({ label: r.name, values: shares(r.items) }))];
  return barChart({ name: 'popularity', title: 'Training popularity of tracks (log2 bins)', xLabel: 'listeners in training', yLabel: '% of tracks / slots', categories, series });
}

function binOf(p: number): number {
  return p >= 1 ? 1 + Math.floor(Math.log2(p)) : 0;
}

function binLabel(b: number): string {
  if (b === 0) return '0';
  const lo = 2 ** (b - 1);
  const hi = 2 ** b - 1;
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
}

function lossSection(loss: ReportData['trainingLoss']): string {
  const pts = (loss ?? []).filter((p) => Number.isFinite(p.loss)).map((p) => [p.iteration, p.loss] as [number, number]);
  if (pts.length === 0) return na();
  return lineChart({ name: 'training-loss', title: 'Training loss per iteration', xLabel: 'iteration', yLabel: 'loss', series: [{ label: 'loss', points: pts }] });
}

function tradeoffSection(points: ReportData['tradeoff']): string {
  const pts = (points ?? []).filter((p) => Number.isFinite(p.ndcg) && Number.isFinite(p.diversity));
  if (pts.length === 0) return na();
  return scatterChart({ name: 'tradeoff', title: 'NDCG vs intra-list diversity', xLabel: 'intra-list diversity', yLabel: 'NDCG', points: pts.map((p) => ({ x: p.diversity, y: p.ndcg, label: p.label })) });
}

function examplesSection(examples: ReportData['examples']): string {
  if (!examples || examples.length === 0) return na();
  const list = (tracks: ReportTrack[]) =>
    tracks.length
      ? `<ol>${tracks.map((t) => `<li>${escapeHtml(t.title)}${t.artist ? ` <span class="artist">— ${escapeHtml(t.artist)}</span>` : ''}${t.detail ? ` <span class="detail">${escapeHtml(t.detail)}</span>` : ''}</li>`).join('')}</ol>`
      : na();
  return examples
    .map((e) => `<div class="example"><h3>${escapeHtml(e.user)}</h3><div class="cols"><div><h4>History</h4>${list(e.history)}</div><div><h4>Playlist</h4>${list(e.playlist)}</div></div></div>`)
    .join('');
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;margin:0 auto;max-width:1200px;padding:16px 24px;background:#fafafa}
h1{font-size:24px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}h3{font-size:15px;margin:16px 0 6px}h4{margin:4px 0}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#f0f0f0;text-align:left}table.config td{text-align:left}tr.model th,tr.model td{background:#eef5fb;font-weight:600}
.ci{display:block;font-size:11px;color:#777;font-weight:normal}.scroll{overflow-x:auto}.meta{color:#666;font-size:12px}
.na{color:#999;font-style:italic}.charts{display:flex;flex-wrap:wrap;gap:16px}svg{background:#fff;border:1px solid #e4e4e4}
.example{background:#fff;border:1px solid #e4e4e4;padding:8px 12px;margin:8px 0}.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.artist{color:#555}.detail{color:#888;font-size:12px}ul.counts{padding-left:18px;margin:4px 0}
`;
