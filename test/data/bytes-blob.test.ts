import { describe, expect, it } from 'vitest';
import { bytesAsBlob } from '../../src/data/bytes-blob.js';

const bytesOf = async (b: Blob): Promise<number[]> => [...new Uint8Array(await b.arrayBuffer())];

describe('bytesAsBlob', () => {
  it('answers size, slice and arrayBuffer as a Blob of the same bytes does, nested and out of range', async () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255);
    const inputs = [data, Buffer.from(data), new Uint8Array(new SharedArrayBuffer(310), 10, 300)];
    inputs[2].set(data);
    const ranges: [number?, number?][] = [[], [0], [5, 20], [-10], [-50, -20], [20, 5], [250, 400], [-400, 10], [300, 300], [0, 0]];
    for (const bytes of inputs) {
      const ours = bytesAsBlob(bytes);
      const real = new Blob([data]);
      expect(ours.size).toBe(real.size);
      expect(await bytesOf(ours)).toEqual(await bytesOf(real));
      for (const [a, b] of ranges) {
        const o = ours.slice(a, b);
        const r = real.slice(a, b);
        expect(o.size, `slice(${a}, ${b})`).toBe(r.size);
        expect(await bytesOf(o), `slice(${a}, ${b})`).toEqual(await bytesOf(r));
        // A slice of a slice, as a reader narrowing to a row group's pages.
        expect(await bytesOf(o.slice(1, -1)), `slice(${a}, ${b}).slice(1, -1)`).toEqual(await bytesOf(r.slice(1, -1)));
      }
    }
  });

  it('hands out copies: the buffer a read returns is its own, whatever the input shares', async () => {
    const bytes = Buffer.from('0123456789');
    const ab = await bytesAsBlob(bytes).slice(2, 5).arrayBuffer();
    expect(ab.byteLength).toBe(3);
    new Uint8Array(ab)[0] = 0;
    expect(bytes.toString()).toBe('0123456789');
  });
});
