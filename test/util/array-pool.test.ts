import { describe, expect, it } from 'vitest';

import { ArrayPool, takeArray } from '../../src/util/array-pool.js';

const MB = 1 << 20;

describe('ArrayPool', () => {
  it('gives new arrays room for the stage length, and reuses a buffer given back', () => {
    const pool = new ArrayPool(MB);
    const a = pool.take(Int32Array, MB / 2);
    expect(a.length).toBe(MB / 2);
    expect(a.buffer.byteLength).toBe(4 * MB); // room for a million elements
    a.fill(7);
    pool.give(a);
    expect(pool.keptBytes).toBe(4 * MB);
    const b = pool.take(Int32Array, MB);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(MB);
    expect(b.every((v) => v === 0)).toBe(true); // zeroed on reuse
    expect(pool.keptBytes).toBe(0);
  });

  it('leaves a reused array as it was when asked not to zero, and reuses across element types', () => {
    const pool = new ArrayPool(MB);
    const a = pool.take(Float32Array, MB, { zeroed: false });
    a.fill(1.5);
    pool.give(a);
    const b = pool.take(Uint32Array, MB, { zeroed: false });
    expect(b.buffer).toBe(a.buffer);
    expect(b[0]).toBe(new Uint32Array(Float32Array.of(1.5).buffer)[0]);
  });

  it('takes the smallest buffer that fits, and not one more than three times the size', () => {
    const pool = new ArrayPool(0);
    const big = pool.take(Uint8Array, 10 * MB);
    const mid = pool.take(Uint8Array, 3 * MB);
    const small = pool.take(Uint8Array, 2 * MB);
    pool.give(big, mid, small);
    expect(pool.take(Uint8Array, 2 * MB + 1).buffer).toBe(mid.buffer);
    const fresh = pool.take(Uint8Array, 3 * MB); // big is more than three times that
    expect(fresh.buffer).not.toBe(big.buffer);
    expect(fresh.buffer).not.toBe(small.buffer);
    expect(pool.take(Uint8Array, 4 * MB).buffer).toBe(big.buffer);
  });

  it('makes small arrays plainly and lets them go; refuses a buffer given back twice', () => {
    const pool = new ArrayPool(MB);
    const tiny = pool.take(Float64Array, 10);
    expect(tiny.buffer.byteLength).toBe(80);
    pool.give(tiny, null, undefined, new Int32Array(new SharedArrayBuffer(4 * MB)));
    expect(pool.keptBytes).toBe(0);
    const a = pool.take(Int32Array, MB);
    pool.give(a);
    expect(() => pool.give(a)).toThrow(/given back twice/);
    expect(() => new ArrayPool(-1)).toThrow(/elements must be an integer/);
  });

  it('takeArray without a pool makes a zeroed array of the exact length', () => {
    const a = takeArray(undefined, Float32Array, 3 * MB, { zeroed: false });
    expect(a.length).toBe(3 * MB);
    expect(a.buffer.byteLength).toBe(12 * MB);
    expect(a[123]).toBe(0);
  });
});
