import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/eval/report.js';
import { buildReportData, CHARTS } from './report-fixture.js';

/** Every <svg data-chart> with the number of data marks inside it. */
function charts(html: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of html.matchAll(/<svg data-chart="([^"]+)"[\s\S]*?<\/svg>/g)) {
    out.set(m[1], (m[0].match(/class="(pt|series|bar)"/g) ?? []).length);
  }
  return out;
}

describe('renderReport', () => {
  const data = buildReportData();

  it('renders every chart with data, tables with intervals, and no external resources', () => {
    const html = renderReport(data);
    const found = charts(html);
    expect([...found.keys()].sort()).toEqual([...CHARTS].sort());
    for (const [name, marks] of found) expect(marks, name).toBeGreaterThan(0);
    // 3 rankers × 4 K on each curve: 3 paths + 12 points
    expect(found.get('ndcg-at-k')).toBe(15);
    expect(html).toContain('K = 10');
    expect(html).toMatch(/class="ci">\[0\.\d{4}, 0\.\d{4}\]/);
    expect(html).toContain('note &lt;escaped&gt;');
    expect(html).toContain('a &amp; b');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).not.toContain('not available');
    expect(html).toContain('History');
  });

  it('says "not available" for missing sections instead of drawing empty charts', () => {
    const html = renderReport({ config: { dataset: 'x' }, metrics: data.metrics.slice(0, 1), trainingLoss: [] });
    expect([...charts(html).keys()].sort()).toEqual(['ndcg-at-k', 'recall-at-k']);
    expect(html.match(/class="na">not available/g)?.length).toBe(5);
    expect(() => renderReport({ metrics: [] } as never)).toThrow(/config/);
  });
});
