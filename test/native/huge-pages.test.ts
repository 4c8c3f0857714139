import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { adviseHugePages } from '../../src/native/index.js';
import { largeArray } from '../../src/util/large-array.js';

const HUGE = 2 << 20;
// Where the kernel has transparent huge pages, madvise accepts the advice.
const thp = process.platform === 'linux' && existsSync('/sys/kernel/mm/transparent_hugepage/enabled');

describe('adviseHugePages', () => {
  it('rejects anything but a typed array with a TypeError naming the entry', () => {
    for (const bad of [undefined, null, 3, 'x', {}, new ArrayBuffer(16), new DataView(new ArrayBuffer(16)), [1, 2]]) {
      expect(() => adviseHugePages(bad as never)).toThrow(TypeError);
      expect(() => adviseHugePages(bad as never)).toThrow(/adviseHugePages: array must be a typed array/);
    }
  });

  it('advises nothing for arrays without a whole huge page, nor for empty or detached views', () => {
    expect(adviseHugePages(new Float32Array(0))).toBe(0);
    expect(adviseHugePages(new Uint8Array(HUGE - 1))).toBe(0);
    const gone = new Int32Array(1 << 20);
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    expect(adviseHugePages(gone)).toBe(0);
  });

  it('advises whole 2 MiB pages inside the view only, and the memory works the same after', () => {
    const cases = [
      new Float64Array(3 << 20),
      new Int32Array(new SharedArrayBuffer(20 << 20)),
      new Uint32Array(new ArrayBuffer(24 << 20), 12_345 * 4, 3 << 20),
    ];
    for (const a of cases) {
      const advised = adviseHugePages(a);
      expect(advised % HUGE).toBe(0);
      expect(advised).toBeLessThanOrEqual(a.byteLength);
      if (thp) expect(advised).toBeGreaterThanOrEqual(a.byteLength - 2 * HUGE);
      for (let i = 0; i < a.length; i += 4099) a[i] = i;
      for (let i = 0; i < a.length; i += 4099) expect(a[i]).toBe(i);
    }
  });
});

describe('largeArray', () => {
  it('gives zeroed arrays of the asked type and length, small or large', () => {
    for (const n of [0, 1, 1000, 3 << 20]) {
      const a = largeArray(Float32Array, n);
      expect(a).toBeInstanceOf(Float32Array);
      expect(a.length).toBe(n);
      expect(a.every((v) => v === 0)).toBe(true);
      const b = largeArray(Uint8Array, n);
      expect(b).toBeInstanceOf(Uint8Array);
      expect(b.length).toBe(n);
    }
  });
});
