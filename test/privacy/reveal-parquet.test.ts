/**
 * reveal of a Parquet file, a row group at a time: every column but the id column comes back as
 * it was, ids map back (nulls and unknown tokens kept), row groups of any count, and a failure
 * leaves no output. The pushed-table encoder under it: tables in order, none, a producer failing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { encodePushedParquet } from '../../src/model/columnar.js';
import { pseudonymToken, revealFile } from '../../src/privacy/index.js';

const key = new TextEncoder().encode('k3y-for-tests-only-7f1c9a2b');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-reveal-pq-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeParquet(file: string, table: arrow.Table, groupRows: number): void {
  const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(groupRows).build();
  writeFileSync(file, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
}

function readParquet(file: string): arrow.Table {
  return arrow.tableFromIPC(pw.readParquet(readFileSync(file)).intoIPCStream());
}

describe('reveal of Parquet', () => {
  // Raw ids of several byte lengths, one not ASCII; rows in runs of one user and alternating.
  const raw = Array.from({ length: 40 }, (_, i) => (i === 7 ? 'zoë-7' : `listener-${'x'.repeat(i % 5)}${i}`));
  const token = (u: string) => pseudonymToken(key, u);

  function world(rows: number, seed: number): { ids: (string | null)[]; expected: (string | null)[]; table: arrow.Table } {
    let s = seed;
    const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const ids: (string | null)[] = [];
    const expected: (string | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const r = next();
      if (r < 0.05) {
        ids.push(null);
        expected.push(null);
      } else if (r < 0.1) {
        ids.push(`stranger-${i}`); // not the token of any listed id: kept as it is
        expected.push(`stranger-${i}`);
      } else {
        // Runs: the user of the row before, most of the time.
        const u = i > 0 && r < 0.7 && expected[i - 1]?.startsWith('l') ? expected[i - 1]! : raw[Math.floor(next() * raw.length)];
        ids.push(token(u));
        expected.push(u);
      }
    }
    const table = new arrow.Table({
      rank: arrow.vectorFromArray(Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? null : i)), new arrow.Int32()),
      user_id: arrow.vectorFromArray(ids, new arrow.Utf8()),
      note: arrow.vectorFromArray(Array.from({ length: rows }, (_, i) => `n${i},"q"`), new arrow.Utf8()),
      score: arrow.makeVector(Float64Array.from({ length: rows }, (_, i) => i / 7)),
    });
    return { ids, expected, table };
  }

  for (const [rows, groupRows] of [
    [1, 1],
    [257, 16],
    [1000, 1000],
    [3000, 999],
  ] as const) {
    it(`maps ids back in ${rows} rows in groups of ${groupRows}, other columns unchanged`, async () => {
      const { ids, expected, table } = world(rows, rows + groupRows);
      const input = path.join(dir, `in-${rows}-${groupRows}.parquet`);
      const out = path.join(dir, `out-${rows}-${groupRows}.parquet`);
      writeParquet(input, table, groupRows);
      const summary = await revealFile({ input, out, rawIds: raw, key });
      const got = readParquet(out);
      expect(got.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['rank:Int32', 'user_id:Utf8', 'note:Utf8', 'score:Float64']);
      expect(got.getChild('user_id')!.toArray()).toEqual(expected);
      for (const c of ['rank', 'note', 'score']) expect([...got.getChild(c)!]).toEqual([...table.getChild(c)!]);
      const known = ids.filter((id, i) => id !== null && expected[i] !== id).length;
      expect(summary).toEqual({ rows, revealed: known, unknown: rows - known });
    });
  }

  it('takes a file of no rows as it is', async () => {
    const input = path.join(dir, 'empty.parquet');
    const out = path.join(dir, 'empty-out.parquet');
    writeParquet(input, world(0, 1).table, 10);
    expect(await revealFile({ input, out, rawIds: raw, key })).toEqual({ rows: 0, revealed: 0, unknown: 0 });
    expect(readParquet(out).numRows).toBe(0);
  });

  it('refuses an id column of numbers, or none, and writes nothing', async () => {
    const input = path.join(dir, 'numbers.parquet');
    const out = path.join(dir, 'numbers-out.parquet');
    writeParquet(input, new arrow.Table({ user_id: arrow.makeVector(Int32Array.of(1, 2, 3)) }), 2);
    await expect(revealFile({ input, out, rawIds: raw, key })).rejects.toThrow(`${input}: column 'user_id' has type Int32, expected strings (tokens)`);
    await expect(revealFile({ input, out, rawIds: raw, key, column: 'listener' })).rejects.toThrow(`${input}: missing column 'listener' (columns: user_id)`);
    expect(existsSync(out)).toBe(false);
  });

  it('fails on a truncated file naming it, and writes nothing', async () => {
    const good = path.join(dir, 'good.parquet');
    writeParquet(good, world(3000, 5).table, 500);
    const input = path.join(dir, 'truncated.parquet');
    const bytes = readFileSync(good);
    // Keep the footer, spoil a later row group's pages: the first groups are written before it fails.
    const spoiled = Buffer.from(bytes);
    spoiled.fill(0xab, Math.floor(bytes.length * 0.6), Math.floor(bytes.length * 0.8));
    writeFileSync(input, spoiled);
    const out = path.join(dir, 'truncated-out.parquet');
    await expect(revealFile({ input, out, rawIds: raw, key })).rejects.toThrow(input);
    expect(existsSync(out)).toBe(false);
  });
});

describe('encodePushedParquet', () => {
  const table = (from: number, rows: number) => new arrow.Table({ v: arrow.makeVector(Int32Array.from({ length: rows }, (_, i) => from + i)) });

  async function encode(produce: Parameters<typeof encodePushedParquet>[0]): Promise<{ rows: number; bytes: Uint8Array }> {
    const pieces: Uint8Array[] = [];
    const rows = await encodePushedParquet(produce, (p) => void pieces.push(p.slice()));
    return { rows, bytes: Buffer.concat(pieces) };
  }

  it('writes the pushed tables in order as one file', async () => {
    const { rows, bytes } = await encode(async (push) => {
      for (let t = 0; t < 5; t++) await push(table(t * 100, t === 2 ? 0 : 70_000));
    });
    expect(rows).toBe(4 * 70_000);
    const v = arrow.tableFromIPC(pw.readParquet(bytes).intoIPCStream()).getChild('v')!.toArray() as Int32Array;
    const want = [0, 1, 3, 4].flatMap((t) => Array.from({ length: 70_000 }, (_, i) => t * 100 + i));
    expect(v.length).toBe(want.length);
    expect(Array.from(v)).toEqual(want);
  });

  it('writes nothing when no row is pushed', async () => {
    expect(await encode(async () => undefined)).toEqual({ rows: 0, bytes: Buffer.alloc(0) });
    expect(await encode(async (push) => push(table(0, 0)))).toEqual({ rows: 0, bytes: Buffer.alloc(0) });
  });

  it("passes on the producer's failure after tables were taken, without hanging", async () => {
    await expect(
      encode(async (push) => {
        await push(table(0, 10));
        await push(table(10, 10));
        throw new Error('group 3 is corrupt');
      }),
    ).rejects.toThrow('group 3 is corrupt');
  });

  it("passes on the sink's failure to a producer waiting to push", async () => {
    const pushes: number[] = [];
    await expect(
      encodePushedParquet(
        async (push) => {
          for (let t = 0; t < 50; t++) {
            await push(table(t, 70_000));
            pushes.push(t);
          }
        },
        () => Promise.reject(new Error('ENOSPC: no space left on device')),
      ),
    ).rejects.toThrow('ENOSPC');
    expect(pushes.length).toBeLessThan(50);
  });
});
