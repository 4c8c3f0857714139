import { describe, expect, it } from 'vitest';

import { releasePages } from '../../src/native/index.js';

const PAGE = 4096;
const linux = process.platform === 'linux';

describe('releasePages', () => {
  it('rejects anything but a typed array with a TypeError naming the entry', () => {
    for (const bad of [undefined, null, 3, 'x', {}, new ArrayBuffer(16), new DataView(new ArrayBuffer(16)), [1, 2]]) {
      expect(() => releasePages(bad as never)).toThrow(TypeError);
      expect(() => releasePages(bad as never)).toThrow(/releasePages: array must be a typed array/);
    }
  });

  it('releases nothing for arrays without a whole page, nor for empty or detached views', () => {
    expect(releasePages(new Float32Array(0))).toBe(0);
    const small = new Uint8Array(100).fill(7);
    expect(releasePages(small)).toBe(0);
    expect(small.every((v) => v === 7)).toBe(true);
    const gone = new Int32Array(1 << 20);
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    expect(releasePages(gone)).toBe(0);
  });

  it('zeroes the whole pages inside the view only, and the array stays usable', () => {
    const cases = [new Int32Array(new SharedArrayBuffer(16 << 20)), new Float64Array(3 << 18), new Uint8Array(new ArrayBuffer(8 << 20))];
    for (const buffer of cases) {
      buffer.fill(5 as never);
      // A view that starts and ends inside pages: the bytes outside its whole pages keep their values.
      const per = buffer.BYTES_PER_ELEMENT;
      const from = Math.floor(12_345 / per);
      const to = buffer.length - Math.floor(9_999 / per);
      const view = buffer.subarray(from, to);
      const released = releasePages(view);
      expect(released % PAGE).toBe(0);
      expect(released).toBeLessThanOrEqual(view.byteLength);
      if (linux) expect(released).toBeGreaterThanOrEqual(view.byteLength - 2 * PAGE);
      let zeros = 0;
      for (let i = 0; i < buffer.length; i++) {
        const v = Number(buffer[i]);
        if (i < from || i >= to) expect(v).toBe(5);
        else if (v === 0) zeros++;
        else expect(v).toBe(5);
      }
      expect(zeros * per).toBe(released);
      view.fill(3 as never);
      expect(view.every((v) => Number(v) === 3)).toBe(true);
    }
  });
});
