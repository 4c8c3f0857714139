import { describe, expect, it } from 'vitest';
import { dotsWithVector, rowDots } from '../../src/native/index.js';
import { mulberry32, randomFloats } from '../reference/random.js';
import { dotInFixedOrder, rowOf } from '../reference/row-dots.js';

function problem(seed: number, nRows: number, dim: number, count: number) {
  const rng = mulberry32(seed);
  const V = randomFloats(rng, nRows * dim, -1, 1);
  // Exact zeros, negative zeros and values far apart in size, where a changed order would show.
  for (let i = 0; i < V.length; i += 7) V[i] = i % 3 === 0 ? -0 : V[i] * 1e-6;
  for (let i = 3; i < V.length; i += 11) V[i] *= 1e4;
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = Math.floor(rng() * nRows);
  return { V, rows, row: Math.floor(rng() * nRows) };
}

describe('rowDots', () => {
  it('gives the bits of the reference order for every dim and count, at an offset, with a row or a vector', () => {
    let seed = 1;
    for (const dim of [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 63, 64, 65, 128, 130]) {
      for (const count of [0, 1, 3, 4, 5, 8, 9, 12, 13, 15, 16, 17, 200]) {
        const { V, rows, row } = problem(seed++, 37, dim, count);
        const at = 5;
        const out = new Float64Array(at + count + 3).fill(7);
        rowDots(V, dim, rows, count, row, out, at);
        // The same row as a vector of its own (a copy, not a view into V).
        const byVector = new Float64Array(count);
        dotsWithVector(V, dim, rows, count, V.slice(row * dim, (row + 1) * dim), byVector);
        for (let i = 0; i < count; i++) {
          const want = dotInFixedOrder(rowOf(V, dim, rows[i]), rowOf(V, dim, row));
          expect(Object.is(out[at + i], want), `dim ${dim} count ${count} i ${i}: ${out[at + i]} vs ${want}`).toBe(true);
          expect(Object.is(byVector[i], want)).toBe(true);
        }
        // Nothing outside [at, at + count) is written.
        for (let i = 0; i < at; i++) expect(out[i]).toBe(7);
        for (let i = at + count; i < out.length; i++) expect(out[i]).toBe(7);
      }
    }
  });

  it('reads only the first count rows and takes a row of V as its own partner', () => {
    const { V } = problem(99, 4, 6, 0);
    const rows = new Int32Array([2, 2, 0, 1, 3, -1]);
    const out = new Float64Array(5);
    rowDots(V, 6, rows, 5, 2, out);
    expect(out[0]).toBe(dotInFixedOrder(rowOf(V, 6, 2), rowOf(V, 6, 2)));
    expect(out[4]).toBe(dotInFixedOrder(rowOf(V, 6, 3), rowOf(V, 6, 2)));
  });

  it('refuses bad arguments with a named error before touching memory', () => {
    const V = new Float32Array(12);
    const rows = new Int32Array([0, 1, 2]);
    const out = new Float64Array(3);
    expect(() => rowDots(V, 5, rows, 3, 0, out)).toThrow(/rowDots: V has length 12, not a multiple of dim=5/);
    expect(() => rowDots(V, 0, rows, 3, 0, out)).toThrow(/rowDots: dim=0 must be an integer in \[1, 4096\]/);
    expect(() => rowDots(V, 4, rows, 3, 3, out)).toThrow(/rowDots: row=3 is not a row of V \(3 rows\)/);
    expect(() => rowDots(V, 4, rows, 4, 0, out)).toThrow(/rowDots: count=4 exceeds rows.length=3/);
    expect(() => rowDots(V, 4, rows, 3, 0, out, 1)).toThrow(/rowDots: at \+ count = 4 exceeds out.length=3/);
    expect(() => rowDots(V, 4, new Int32Array([0, 3]), 2, 0, out)).toThrow(/rowDots: rows\[1\]=3 is not a row of V \(3 rows\)/);
    expect(() => rowDots(V, 4, new Int32Array([-1]), 1, 0, out)).toThrow(/rowDots: rows\[0\]=-1 is not a row of V/);
    expect(() => rowDots(V, 4, rows, 3, 0, new Float32Array(3) as unknown as Float64Array)).toThrow(TypeError);
    expect(() => rowDots(V, 4, new Float32Array(3) as unknown as Int32Array, 3, 0, out)).toThrow(/rows must be a Int32Array, got Float32Array/);
    expect(() => rowDots(new Float64Array(12) as unknown as Float32Array, 4, rows, 3, 0, out)).toThrow(/V must be a Float32Array/);
    // count 0 on an empty matrix's row is still a bad row; an empty list on a real row is fine.
    expect(() => rowDots(new Float32Array(0), 4, rows, 0, 0, out)).toThrow(/row=0 is not a row of V \(0 rows\)/);
    expect(() => rowDots(V, 4, new Int32Array(0), 0, 2, new Float64Array(0))).not.toThrow();
    expect(() => dotsWithVector(V, 4, rows, 3, new Float32Array(5), out)).toThrow(/dotsWithVector: y has length 5, expected dim = 4/);
    expect(() => dotsWithVector(V, 4, rows, 3, new Float64Array(4) as unknown as Float32Array, out)).toThrow(/dotsWithVector: y must be a Float32Array/);
    expect(() => dotsWithVector(V, 4, new Int32Array([0, 3]), 2, new Float32Array(4), out)).toThrow(/dotsWithVector: rows\[1\]=3 is not a row of V \(3 rows\)/);
    expect(() => dotsWithVector(V, 4, rows, 3, new Float32Array(4), out, 2)).toThrow(/dotsWithVector: at \+ count = 5 exceeds out.length=3/);
  });
});
