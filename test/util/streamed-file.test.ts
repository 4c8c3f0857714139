import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeParquetTo } from '../../src/data/parquet-stream.js';
import { writeFileAtomic, writeStreamedAtomic } from '../../src/util/atomic.js';
import { writeStreamed } from '../../src/util/streamed-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-streamed-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('files written a piece at a time', () => {
  it('writes the pieces in order and counts their bytes; an existing file is refused', async () => {
    const file = path.join(dir, 'pieces.bin');
    const written = await writeStreamed(file, async (sink) => {
      await sink(bytes(1, 2, 3));
      await sink(bytes());
      await sink(bytes(4));
    });
    expect(written.bytes).toBe(4);
    expect([...(await readFile(file))]).toEqual([1, 2, 3, 4]);
    await expect(writeStreamed(file, async (sink) => sink(bytes(9)))).rejects.toMatchObject({ code: 'EEXIST' });
    expect([...(await readFile(file))]).toEqual([1, 2, 3, 4]);
  });

  it('replaces a file atomically, and a fill that fails part way leaves the old one and no temporary file', async () => {
    const file = path.join(dir, 'out.bin');
    await writeFileAtomic(file, 'first\n');
    await expect(
      writeStreamedAtomic(file, async (sink) => {
        await sink(bytes(7, 7));
        throw new Error('encoder failed');
      }),
    ).rejects.toThrow('encoder failed');
    expect(await readFile(file, 'utf8')).toBe('first\n');
    await writeStreamedAtomic(file, async (sink) => {
      await sink(Buffer.from('sec'));
      await sink(Buffer.from('ond\n'));
    });
    expect(await readFile(file, 'utf8')).toBe('second\n');
    expect(await readdir(dir)).toEqual(['out.bin', 'pieces.bin']);
  });

  it('encodes Parquet a row group at a time, taking the next piece only when the sink is done', async () => {
    const n = 10_000;
    const table = arrow.tableFromArrays({ id: Int32Array.from({ length: n }, (_, i) => i), x: Float32Array.from({ length: n }, (_, i) => i / 7) });
    const props = () => new pw.WriterPropertiesBuilder().setMaxRowGroupSize(1000).build();
    const pieces: Uint8Array[] = [];
    let busy = 0;
    let most = 0;
    await encodeParquetTo(table, props, 1000, async (piece) => {
      most = Math.max(most, ++busy);
      await new Promise((r) => setTimeout(r, 1));
      pieces.push(piece);
      busy--;
    });
    expect(most).toBe(1);
    expect(pieces.length).toBeGreaterThan(5); // a piece per group at least, not one whole file
    const file = path.join(dir, 'table.parquet');
    await writeFile(file, Buffer.concat(pieces));
    const back = arrow.tableFromIPC(pw.readParquet(await readFile(file)).intoIPCStream());
    expect(back.numRows).toBe(n);
    expect([...back.getChild('id')!.toArray()]).toEqual([...table.getChild('id')!.toArray()]);
    expect([...back.getChild('x')!.toArray()]).toEqual([...table.getChild('x')!.toArray()]);
    await rm(file);
  });
});
