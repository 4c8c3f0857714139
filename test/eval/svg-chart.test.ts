import { describe, expect, it } from 'vitest';
import { lineChart, scatterChart } from '../../src/eval/svg-chart.js';

describe('SVG charts', () => {
  it('draw values that are equal up to rounding noise (a tick step below float resolution used to loop forever)', () => {
    const a = 0.5333333333333333;
    const svg = scatterChart({
      name: 'tradeoff',
      title: 't',
      xLabel: 'diversity',
      yLabel: 'ndcg',
      points: [
        { x: a, y: 0.27, label: 'p1' },
        { x: a + 1e-17, y: 0.27 + 5e-17, label: 'p2' },
      ],
    } as Parameters<typeof scatterChart>[0]);
    expect(svg).toContain('<svg');
    expect((svg.match(/class="pt"/g) ?? []).length).toBe(2);
  });

  it('keeps a handful of ticks on ordinary ranges', () => {
    const svg = lineChart({ name: 'c', title: 't', xLabel: 'k', yLabel: 'v', series: [{ label: 's', points: [[1, 0.1], [50, 0.9]] }] } as unknown as Parameters<typeof lineChart>[0]);
    expect((svg.match(/class="pt"/g) ?? []).length).toBe(2);
    const ticks = (svg.match(/<text[^>]*text-anchor="end"/g) ?? []).length;
    expect(ticks).toBeGreaterThan(2);
    expect(ticks).toBeLessThan(15);
  });
});
