import { describe, expect, it } from 'vitest';
import { MaxHeap } from '../../src/rerank/max-heap.js';
import { mulberry32 } from '../reference/random.js';

/**
 * The re-ranker's use: items whose true values only fall as picks are made (each pick lowers
 * every other item's value by a random amount). The lazy heap (stale keys as upper bounds,
 * refreshed at the top) must pick exactly what a scan over the true values picks, ties to the
 * lower id.
 */
function simulate(n: number, picks: number, seed: number, ties: boolean): { lazy: number[]; scan: number[] } {
  const rng = mulberry32(seed);
  const base = Float64Array.from({ length: n }, () => (ties ? Math.floor(rng() * 4) : rng()));
  // penalty[i][s]: what the s-th pick costs item i (values fall, never rise).
  const penalty = Array.from({ length: n }, () => Float64Array.from({ length: picks }, () => (ties ? Math.floor(rng() * 2) : rng() * 0.3)));
  const trueValue = (i: number, upTo: number): number => {
    let v = base[i];
    for (let s = 0; s < upTo; s++) v -= penalty[i][s];
    return v;
  };

  const scan: number[] = [];
  const taken = new Uint8Array(n);
  for (let s = 0; s < picks && s < n; s++) {
    let best = -1;
    for (let i = 0; i < n; i++) if (!taken[i] && (best < 0 || trueValue(i, s) > trueValue(best, s))) best = i;
    taken[best] = 1;
    scan.push(best);
  }

  const lazy: number[] = [];
  const heap = new MaxHeap(n);
  const upTo = new Int32Array(n);
  for (let i = 0; i < n; i++) heap.add(i, trueValue(i, 0));
  heap.heapify();
  while (lazy.length < picks && heap.size > 0) {
    const i = heap.topId;
    if (upTo[i] < lazy.length) {
      upTo[i] = lazy.length;
      heap.lowerTop(trueValue(i, lazy.length));
      continue;
    }
    heap.pop();
    lazy.push(i);
  }
  return { lazy, scan };
}

describe('MaxHeap (lazy greedy selection)', () => {
  it.each([
    [1, 1, false],
    [7, 7, false],
    [50, 20, false],
    [50, 20, true],
    [200, 60, true],
  ])('picks as a full scan does (%i items, %i picks, ties %s)', (n, picks, ties) => {
    for (let seed = 1; seed <= 5; seed++) {
      const { lazy, scan } = simulate(n, picks, seed, ties);
      expect(lazy).toEqual(scan);
    }
  });

  it('is empty after clear and pops the last entry', () => {
    const h = new MaxHeap(3);
    h.add(2, 1);
    h.heapify();
    expect(h.topId).toBe(2);
    h.pop();
    expect(h.size).toBe(0);
    h.add(0, 5);
    h.clear();
    expect(h.size).toBe(0);
  });
});
