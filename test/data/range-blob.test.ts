import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesAsBlob, openFileAsBlob } from '../../src/data/range-blob.js';

const bytesOf = async (b: Blob): Promise<number[]> => [...new Uint8Array(await b.arrayBuffer())];
const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 255);
const ranges: [number?, number?][] = [[], [0], [5, 20], [-10], [-50, -20], [20, 5], [250, 400], [-400, 10], [300, 300], [0, 0]];

/** Holds `ours` to a Node Blob of `data` on size, bytes and every range, and a range of a range. */
async function expectSameAsBlob(ours: Blob): Promise<void> {
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

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-range-blob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bytesAsBlob', () => {
  it('answers size, slice and arrayBuffer as a Blob of the same bytes does, nested and out of range', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(310), 10, 300);
    shared.set(data);
    for (const bytes of [data, Buffer.from(data), shared]) await expectSameAsBlob(bytesAsBlob(bytes));
  });

  it('hands out copies: the buffer a read returns is its own, whatever the input shares', async () => {
    const bytes = Buffer.from('0123456789');
    const ab = await bytesAsBlob(bytes).slice(2, 5).arrayBuffer();
    expect(ab.byteLength).toBe(3);
    new Uint8Array(ab)[0] = 0;
    expect(bytes.toString()).toBe('0123456789');
  });
});

describe('openFileAsBlob', () => {
  it('answers size, slice and arrayBuffer as a Blob of the file bytes does, nested and out of range', async () => {
    const file = path.join(dir, 'data.bin');
    writeFileSync(file, data);
    const opened = await openFileAsBlob(file);
    try {
      await expectSameAsBlob(opened.blob);
    } finally {
      await opened.close();
    }
    // Closed: the file is not held open, and a read says so rather than returning bytes.
    await expect(opened.blob.arrayBuffer()).rejects.toThrow();
  });

  it('reads ranges larger than one read returns, and fails on a file cut short since opening', async () => {
    const big = new Uint8Array(5 << 20);
    for (let i = 0; i < big.length; i += 4093) big[i] = (i >> 12) & 255;
    const file = path.join(dir, 'big.bin');
    writeFileSync(file, big);
    const opened = await openFileAsBlob(file);
    try {
      // Compared as Buffers: a deep equality of megabytes takes the test runner seconds.
      expect(Buffer.from(await opened.blob.slice(1000).arrayBuffer()).equals(big.subarray(1000))).toBe(true);
      truncateSync(file, 1 << 20);
      await expect(opened.blob.slice(0, 2 << 20).arrayBuffer()).rejects.toThrow(/ended at byte 1048576 while reading up to byte 2097152/);
      expect((await opened.blob.slice(10, 20).arrayBuffer()).byteLength).toBe(10);
    } finally {
      await opened.close();
    }
  });

  it('fails to open a missing file with the error of fs.open', async () => {
    await expect(openFileAsBlob(path.join(dir, 'missing.parquet'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
