/**
 * Minimal inline SVG charts for the HTML report: line charts, scatter plots and grouped bar
 * charts. Every data point is a marked element (`path.series`, `circle.pt`, `rect.bar`) so the
 * rendered page can be checked for charts that actually carry data.
 */
import { escapeHtml } from './html.js';

const W = 560;
const H = 320;
const M = { left: 64, right: 16, top: 48, bottom: 48 };
export const PALETTE = ['#1b6ca8', '#d1495b', '#2e933c', '#edae49', '#6c4f9e', '#00798c', '#8d6a9f', '#5c5c5c'];

export interface Series {
  label: string;
  points: [number, number][];
}

interface Axes {
  name: string;
  title: string;
  xLabel: string;
  yLabel: string;
}

/** Lines with point markers, one series per ranker. */
export function lineChart(spec: Axes & { series: Series[]; xTicks?: number[] }): string {
  const all = spec.series.flatMap((s) => s.points.filter(finitePoint));
  const x = scale(all.map((p) => p[0]), M.left, W - M.right, false);
  const y = scale(all.map((p) => p[1]), H - M.bottom, M.top, true);
  const body = spec.series
    .map((s, n) => {
      const pts = s.points.filter(finitePoint);
      const color = PALETTE[n % PALETTE.length];
      const d = pts.map((p, j) => `${j === 0 ? 'M' : 'L'}${x.at(p[0]).toFixed(1)},${y.at(p[1]).toFixed(1)}`).join(' ');
      const marks = pts
        .map((p) => `<circle class="pt" cx="${x.at(p[0]).toFixed(1)}" cy="${y.at(p[1]).toFixed(1)}" r="3.5" fill="${color}"><title>${escapeHtml(s.label)}: ${fmt(p[0])}, ${fmt(p[1])}</title></circle>`)
        .join('');
      return `<path class="series" d="${d}" fill="none" stroke="${color}" stroke-width="2"/>${marks}`;
    })
    .join('');
  return frame(spec, x, y, body + legend(spec.series.map((s) => s.label)), spec.xTicks);
}

/** Labelled points, e.g. one per re-ranking setting. */
export function scatterChart(spec: Axes & { points: { x: number; y: number; label: string }[] }): string {
  const pts = spec.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  // Inset the plot so points on the extremes and their labels stay inside the frame.
  const x = scale(pts.map((p) => p.x), M.left + 24, W - M.right - 24, false);
  const y = scale(pts.map((p) => p.y), H - M.bottom, M.top + 14, true);
  const body = pts
    .map((p, n) => {
      const cx = x.at(p.x).toFixed(1);
      const cy = y.at(p.y).toFixed(1);
      return `<circle class="pt" cx="${cx}" cy="${cy}" r="5" fill="${PALETTE[n % PALETTE.length]}"><title>${escapeHtml(p.label)}: ${fmt(p.x)}, ${fmt(p.y)}</title></circle><text x="${cx}" y="${(Number(cy) - 8).toFixed(1)}" font-size="10" text-anchor="middle">${escapeHtml(p.label)}</text>`;
    })
    .join('');
  return frame(spec, x, y, body);
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(spec: Axes & { categories: string[]; series: { label: string; values: number[] }[] }): string {
  const values = spec.series.flatMap((s) => s.values.filter(Number.isFinite));
  const y = scale([0, ...values], H - M.bottom, M.top, true);
  const groups = spec.categories.length;
  const groupW = (W - M.left - M.right) / Math.max(1, groups);
  const barW = (groupW * 0.8) / Math.max(1, spec.series.length);
  let body = '';
  spec.series.forEach((s, n) => {
    const color = PALETTE[n % PALETTE.length];
    s.values.forEach((v, g) => {
      if (!Number.isFinite(v)) return;
      const bx = M.left + g * groupW + groupW * 0.1 + n * barW;
      const top = y.at(v);
      body += `<rect class="bar" x="${bx.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0, y.at(0) - top).toFixed(1)}" fill="${color}"><title>${escapeHtml(s.label)} ${escapeHtml(spec.categories[g])}: ${fmt(v)}</title></rect>`;
    });
  });
  const labels = spec.categories
    .map((c, g) => `<text x="${(M.left + (g + 0.5) * groupW).toFixed(1)}" y="${H - M.bottom + 14}" font-size="10" text-anchor="middle">${escapeHtml(c)}</text>`)
    .join('');
  return open(spec) + yAxis(y) + axisLabels(spec) + labels + body + legend(spec.series.map((s) => s.label)) + '</svg>';
}

interface Scale {
  at(v: number): number;
  ticks: number[];
}

/** Linear scale over the data range (padded; a single value gets a unit window) with nice ticks. */
function scale(values: number[], from: number, to: number, fromZeroIfNear: boolean): Scale {
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (fromZeroIfNear && lo > 0 && lo < hi * 0.5) lo = 0;
  // Values equal up to rounding noise are one value: a step below the floating-point resolution
  // of the range would never advance the tick loop.
  if (hi - lo <= Math.max(Math.abs(hi), Math.abs(lo)) * 1e-9) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const ticks = niceTicks(lo, hi, 5);
  lo = Math.min(lo, ticks[0]);
  hi = Math.max(hi, ticks[ticks.length - 1]);
  return { at: (v) => from + ((v - lo) / (hi - lo)) * (to - from), ticks };
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const first = Math.floor(lo / step) * step;
  for (let i = 0; i <= count * 4 + 2; i++) {
    const t = first + i * step;
    if (t > hi + step * 1e-9) break;
    ticks.push(Number(t.toPrecision(12)));
  }
  if (ticks[ticks.length - 1] < hi) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

function frame(spec: Axes, x: Scale, y: Scale, body: string, xTicks?: number[]): string {
  const xt = (xTicks ?? x.ticks)
    .map((t) => `<line x1="${x.at(t).toFixed(1)}" x2="${x.at(t).toFixed(1)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#444"/><text x="${x.at(t).toFixed(1)}" y="${H - M.bottom + 16}" font-size="10" text-anchor="middle">${fmt(t)}</text>`)
    .join('');
  return open(spec) + yAxis(y) + `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#444"/>` + xt + axisLabels(spec) + body + '</svg>';
}

function open(spec: Axes): string {
  return `<svg data-chart="${escapeHtml(spec.name)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(spec.title)}"><text x="${W / 2}" y="20" font-size="14" font-weight="600" text-anchor="middle">${escapeHtml(spec.title)}</text>`;
}

function yAxis(y: Scale): string {
  return (
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#444"/>` +
    y.ticks
      .map((t) => `<line x1="${M.left}" x2="${W - M.right}" y1="${y.at(t).toFixed(1)}" y2="${y.at(t).toFixed(1)}" stroke="#e4e4e4"/><text x="${M.left - 6}" y="${(y.at(t) + 3).toFixed(1)}" font-size="10" text-anchor="end">${fmt(t)}</text>`)
      .join('')
  );
}

function axisLabels(spec: Axes): string {
  return (
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" font-size="11" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>` +
    `<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" font-size="11" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`
  );
}

/** One row of legend entries between the title and the plot, so it never covers data. */
function legend(labels: string[]): string {
  const step = Math.min(170, (W - M.left - M.right) / Math.max(1, labels.length));
  return labels
    .map((l, n) => {
      const x = M.left + n * step;
      return `<rect x="${x.toFixed(1)}" y="28" width="10" height="10" fill="${PALETTE[n % PALETTE.length]}"/><text x="${(x + 14).toFixed(1)}" y="37" font-size="10">${escapeHtml(l)}</text>`;
    })
    .join('');
}

function finitePoint(p: [number, number]): boolean {
  return Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/** Compact number for labels. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}
