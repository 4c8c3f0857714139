import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../src/data/errors.js';
import { ParquetDecoder } from '../../src/data/parquet-decoder.js';
import { TempFiles } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

/** A table of `n` rows: dictionary-encoded ids, epoch-ms timestamps with nulls, floats. */
function sample(n: number): arrow.Table {
  return new arrow.Table({
    user_id: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => `u${(i * 7) % 53}`), new arrow.Utf8()),
    timestamp: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : BigInt(1_700_000_000_000 + i))), new arrow.Int64()),
    ms_played: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => i * 0.5), new arrow.Float32()),
  });
}

function parquet(table: arrow.Table, rowGroup: number, compression = pw.Compression.SNAPPY): Uint8Array {
  const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroup).setCompression(compression).build();
  return pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props);
}

/** Rows of a table as plain values, column by column. */
function values(t: arrow.Table, columns: string[]): unknown[][] {
  return columns.map((c) => Array.from(t.getChild(c)!.toArray() as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v)));
}

describe('ParquetDecoder', () => {
  it('gives every row group in order, only the columns asked for, as the file holds them', async () => {
    for (const [n, rowGroup] of [[0, 10], [1, 10], [1000, 1000], [2500, 400]]) {
      const bytes = parquet(sample(n), rowGroup);
      const file = tmp.write(`groups-${n}-${rowGroup}.parquet`, bytes);
      await ParquetDecoder.withFile(file, undefined, async (decoder) => {
        expect(decoder.fields).toEqual(['user_id', 'timestamp', 'ms_played']);
        expect(decoder.rows).toBe(n);
        // Asked for in another order: they come in the file's.
        const columns = ['user_id', 'timestamp'];
        const seen: arrow.Table[] = [];
        await decoder.forEachGroup(['timestamp', 'user_id'], async (t) => void seen.push(t));
        expect(seen.length).toBe(n === 0 ? 0 : Math.ceil(n / rowGroup));
        // Read on this thread, group by group, the plain way.
        const pf = await pw.ParquetFile.fromFile(new Blob([bytes]));
        for (const [g, t] of seen.entries()) {
          expect(t.schema.fields.map((f) => f.name)).toEqual(columns);
          const want = arrow.tableFromIPC((await pf.read({ rowGroups: [g], columns, batchSize: rowGroup })).intoIPCStream());
          expect(values(t, columns)).toEqual(values(want, columns));
          expect(t.schema.fields.map((f) => String(f.type))).toEqual(want.schema.fields.map((f) => String(f.type)));
        }
        pf.free();
      });
    }
  });

  it('opens files one after another on one thread, a failed open included', async () => {
    const a = tmp.write('first.parquet', parquet(sample(700), 300));
    const b = tmp.write('second.parquet', parquet(sample(250), 100));
    const decoder = ParquetDecoder.start();
    try {
      const rowsOf = async (file: string): Promise<number[]> => {
        await decoder.openFile(file);
        const groups: number[] = [];
        await decoder.forEachGroup(['ms_played'], async (t) => void groups.push(t.numRows));
        return groups;
      };
      expect(await rowsOf(a)).toEqual([300, 300, 100]);
      expect(decoder.rows).toBe(700);
      await expect(decoder.openFile(tmp.path('nowhere.parquet'))).rejects.toThrow(/nowhere\.parquet: cannot open/);
      expect(() => decoder.rows).toThrow('no file open');
      expect(await rowsOf(b)).toEqual([100, 100, 50]);
      expect(await rowsOf(a)).toEqual([300, 300, 100]);
    } finally {
      await decoder.close();
    }
  });

  it('stops cleanly when the reader throws mid-file, letting the decode ahead go', async () => {
    const file = tmp.write('ahead.parquet', parquet(sample(3000), 500));
    let groups = 0;
    await expect(
      ParquetDecoder.withFile(file, undefined, (decoder) =>
        decoder.forEachGroup(['ms_played'], async (t) => {
          expect(t.numRows).toBe(500);
          if (++groups === 2) throw new Error('reader gave up');
        }),
      ),
    ).rejects.toThrow('reader gave up');
    expect(groups).toBe(2);
  });

  it('names the file for a missing, foreign or corrupt file and the row group that cannot be read; a good file reads after it', async () => {
    const missing = tmp.path('missing.parquet');
    const open = (file: string): Promise<void> => ParquetDecoder.withFile(file, undefined, async () => undefined);
    await expect(open(missing)).rejects.toThrow(new RegExp(`^${missing}: cannot open: .*ENOENT`));
    const text = tmp.write('text.parquet', 'user_id,track_id\nu,t\n');
    await expect(open(text)).rejects.toThrow(`${text}: not a readable Parquet file (truncated or corrupt?)`);
    await expect(open(text)).rejects.toBeInstanceOf(IngestError);

    // Garble the middle of row group 1's last column; the footer stays intact. The writer lays
    // the column chunks out one after another behind the 4-byte magic.
    const bytes = parquet(sample(3000), 1000, pw.Compression.ZSTD);
    const meta = (await pw.ParquetFile.fromFile(new Blob([bytes]))).metadata();
    const group1 = meta.rowGroup(1);
    const start = 4 + meta.rowGroup(0).compressedSize() + group1.column(0).compressedSize() + group1.column(1).compressedSize();
    const at = start + Math.floor(group1.column(2).compressedSize() / 2);
    const garbled = Uint8Array.from(bytes);
    for (let i = at - 16; i < at + 16; i++) garbled[i] ^= 0x5a;
    const file = tmp.write('garbled.parquet', garbled);
    const seen: number[] = [];
    await expect(
      ParquetDecoder.withFile(file, undefined, (decoder) => decoder.forEachGroup(['ms_played'], async (t) => void seen.push(t.numRows))),
    ).rejects.toThrow(`${file}: row group 1: cannot read (truncated or corrupt?)`);
    expect(seen).toEqual([1000]);

    // Group 1 fails while the reader still takes group 0 over many turns: no unhandled
    // rejection in between, and the reader's await still gets the error.
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      await expect(
        ParquetDecoder.withFile(file, undefined, (slow) =>
          slow.forEachGroup(['ms_played'], async () => {
            for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
          }),
        ),
      ).rejects.toThrow(`${file}: row group 1: cannot read (truncated or corrupt?)`);
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
    // The garbled page may have made parquet-wasm panic on the decoding thread; that thread is gone.
    let rows = 0;
    await ParquetDecoder.withFile(tmp.write('good.parquet', bytes), undefined, (good) => good.forEachGroup(['ms_played'], async (t) => void (rows += t.numRows)));
    expect(rows).toBe(3000);
  });
});
