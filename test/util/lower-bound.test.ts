import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/util/lower-bound.js';

describe('lowerBound', () => {
  it('finds the first place at or above the value within the range, or its end', () => {
    const a = Int32Array.from([1, 3, 3, 3, 7, 9]);
    expect([0, 1, 2, 3, 4, 8, 9, 10].map((v) => lowerBound(a, v))).toEqual([0, 0, 1, 1, 4, 5, 5, 6]);
    expect(lowerBound(a, 3, 2, 5)).toBe(2);
    expect(lowerBound(a, 8, 2, 4)).toBe(4);
    expect(lowerBound(a, 0, 3, 3)).toBe(3);
    expect(lowerBound(new Float64Array(0), 5)).toBe(0);
  });
});
