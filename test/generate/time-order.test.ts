import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/generate/index.js';
import { orderByTime } from '../../src/generate/time-order.js';

describe('orderByTime', () => {
  it('orders like a stable comparator sort, out-of-range rows included', () => {
    const r = new Rng(2);
    const n = 5000;
    const ts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = r.float();
      // Mostly inside [1000, 2000), with ties, and a few far before and after.
      ts[i] = u < 0.05 ? -r.int(1e6) : u > 0.95 ? 2000 + r.int(1e6) : 1000 + r.int(1000);
    }
    const order = orderByTime(ts, n, 1000, 2000);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => ts[a] - ts[b] || a - b);
    expect(Array.from(order)).toEqual(expected);
  });

  it('handles empty input', () => {
    expect(orderByTime(new Float64Array(0), 0, 0, 10).length).toBe(0);
  });
});
