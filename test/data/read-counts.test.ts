import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { countsToInteractions, readCounts } from '../../src/data/index.js';
import { formatIngestLine } from '../../src/data/ingest-summary.js';
import { TempFiles, lines } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const hetrecDir = path.resolve(repoRoot, '../shared/datasets/hetrec2011-lastfm-2k');

describe('readCounts', () => {
  it('reads raw triplets, keeps duplicates, drops and counts zero weights', async () => {
    const file = tmp.write('counts.csv', lines('user_id,item_id,weight', 'a,x,3', 'a,y,1.5', 'b,x,0', 'a,x,2', 'c,z,1e2'));
    const c = await readCounts(file);
    expect(c.users.ids).toEqual(['a', 'c']);
    expect(c.items.ids).toEqual(['x', 'y', 'z']);
    expect(Array.from(c.user)).toEqual([0, 0, 0, 1]);
    expect(Array.from(c.item)).toEqual([0, 1, 0, 2]);
    expect(Array.from(c.weight)).toEqual([3, 1.5, 2, 100]);
    expect(c.report.validation).toEqual({ malformed_row: 0, missing_id: 0, bad_weight: 0, zero_weight: 1 });
    expect(c.report.examples.zero_weight).toEqual([`${file}:4`]);
    expect(c.report.rowsRead).toBe(5);
    expect(c.report.rowsKept).toBe(4);

    const m = countsToInteractions(c);
    expect(Array.from(m.indptr)).toEqual([0, 2, 3]);
    expect(Array.from(m.indices)).toEqual([0, 1, 2]);
    expect(Array.from(m.weight)).toEqual([5, 1.5, 100]);
    expect(Array.from(m.pref)).toEqual([1, 1, 1]);
  });

  it('reads a large file (ids looked up in blocks across buffer refills) as row-by-row interning would', async () => {
    // 100,000 rows (over twice the 1 MiB buffer, so a read lands on the bytes of rows still held);
    // ids new and repeated within blocks; zero, negative and missing values mixed in (skipBad
    // keeps going past the malformed ones).
    let seed = 777;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const rows: string[][] = [];
    for (let i = 0; i < 100_000; i++) {
      const r = rand(200);
      const user = r === 0 ? '' : `listener-${rand(i < 50_000 ? 4000 : 9000)}`;
      const item = `track-${rand(2500)}`;
      const weight = r === 1 ? '0' : r === 2 ? '-1' : r === 3 ? 'n/a' : String(1 + rand(50));
      rows.push([user, item, weight]);
    }
    const text = lines('user_id,item_id,weight', ...rows.map((r) => r.join(',')));
    expect(text.length).toBeGreaterThan(2.2 * 2 ** 20);
    const file = tmp.write('many.csv', text);
    const c = await readCounts(file, { skipBad: true });
    // The oracle: rows in order, ids numbered by first appearance among the rows kept.
    const users = new Map<string, number>();
    const items = new Map<string, number>();
    const id = (m: Map<string, number>, k: string): number => m.get(k) ?? (m.set(k, m.size), m.size - 1);
    const user: number[] = [];
    const item: number[] = [];
    const weight: number[] = [];
    const expected = { malformed_row: 0, missing_id: 0, bad_weight: 0, zero_weight: 0 };
    for (const [u, t, w] of rows) {
      const x = Number(w);
      if (w === 'n/a') expected.malformed_row++;
      else if (u === '') expected.missing_id++;
      else if (x === 0) expected.zero_weight++;
      else if (x < 0) expected.bad_weight++;
      else {
        user.push(id(users, u));
        item.push(id(items, t));
        weight.push(x);
      }
    }
    expect(c.users.ids).toEqual([...users.keys()]);
    expect(c.items.ids).toEqual([...items.keys()]);
    expect(Array.from(c.user)).toEqual(user);
    expect(Array.from(c.item)).toEqual(item);
    expect(Array.from(c.weight)).toEqual(weight);
    expect(c.report.validation).toEqual(expected);
    expect(Math.min(...Object.values(expected))).toBeGreaterThan(100);
  });

  it('reports a held row with invalid UTF-8 before a later bad row', async () => {
    const bytes = Buffer.concat([Buffer.from('user_id,item_id,weight\na'), Buffer.from([0xff]), Buffer.from(',x,1\nb,y,zz\nc,z,2\n')]);
    const file = tmp.write('order.csv', bytes);
    await expect(readCounts(file)).rejects.toThrow(`${file}:2: column 'user_id': invalid UTF-8`);
    const c = await readCounts(file, { skipBad: true });
    expect(c.report.examples.malformed_row).toEqual([`${file}:2`, `${file}:3`]);
    expect(c.users.ids).toEqual(['c']);
  });

  it('fails on unusable rows naming file:line, or counts them with skipBad', async () => {
    const file = tmp.write('bad.csv', lines('user_id,item_id,weight', 'a,x,1', 'a,y,abc', ',x,1', 'b,x,-2', 'c,x,inf', 'd,x'));
    await expect(readCounts(file)).rejects.toThrow(`${file}:3: column 'weight': "abc" is not a number`);
    const neg = tmp.write('neg.csv', lines('user_id,item_id,weight', 'b,x,-2'));
    await expect(readCounts(neg)).rejects.toThrow(`${neg}:2: column 'weight': -2 is negative`);
    const c = await readCounts(file, { skipBad: true });
    expect(c.report.validation).toEqual({ malformed_row: 3, missing_id: 1, bad_weight: 1, zero_weight: 0 });
    expect(c.report.examples.malformed_row).toEqual([`${file}:3`, `${file}:6`, `${file}:7`]);
    expect(c.users.ids).toEqual(['a']);
  });

  it('reads a file of pairs without a weight column as rows counting 1, and says so', async () => {
    const csv = tmp.write('pairs.csv', lines('user_id,item_id', 'a,x', 'b,y', 'a,y', 'a,x'));
    const c = await readCounts(csv);
    expect(Array.from(c.weight)).toEqual([1, 1, 1, 1]);
    expect(Array.from(c.user)).toEqual([0, 1, 0, 0]);
    expect(c.report.columns).toEqual({ user_id: 'user_id', item_id: 'item_id', weight: null });
    expect(formatIngestLine(c.report)).toContain('; no weight column: every row counts 1 (name it with --weight-col)');
    // A weight column named explicitly must be there.
    await expect(readCounts(csv, { weightCol: 'plays' })).rejects.toThrow(`${csv}: missing column 'plays' (columns: user_id, item_id)`);
    const table = new arrow.Table({ user_id: arrow.vectorFromArray(['a', 'b'], new arrow.Utf8()), item_id: arrow.vectorFromArray(['x', 'y'], new arrow.Utf8()) });
    const ipc = await readCounts(tmp.write('pairs.arrow', arrow.tableToIPC(table, 'file')));
    expect(Array.from(ipc.weight)).toEqual([1, 1]);
    expect(ipc.report.columns).toEqual({ user_id: 'user_id', item_id: 'item_id', weight: null });
    // With a weight column, the report names it.
    const w = await readCounts(tmp.write('w.csv', lines('User_Id,item_id,Weight', 'a,x,2')));
    expect(w.report.columns).toEqual({ user_id: 'User_Id', item_id: 'item_id', weight: 'Weight' });
  });

  it('refuses a weight a 32-bit float cannot hold by file and place, where it became Infinity in training', async () => {
    const csv = tmp.write('huge.csv', lines('user_id,item_id,weight', 'a,x,3.4e38', 'b,y,1e39'));
    await expect(readCounts(csv)).rejects.toThrow(`${csv}:3: column 'weight': 1e+39 is beyond a 32-bit float's range (at most 3.4e38)`);
    const c = await readCounts(csv, { skipBad: true });
    expect(c.report.validation.bad_weight).toBe(1);
    expect(Array.from(c.weight)).toEqual([Math.fround(3.4e38)]);
    const table = new arrow.Table({
      user_id: arrow.vectorFromArray(['a', 'b'], new arrow.Utf8()),
      item_id: arrow.vectorFromArray(['x', 'y'], new arrow.Utf8()),
      weight: arrow.vectorFromArray([1e39, 2], new arrow.Float64()),
    });
    const ipc = tmp.write('huge.arrow', arrow.tableToIPC(table, 'file'));
    await expect(readCounts(ipc)).rejects.toThrow(`${ipc}:row 1: column 'weight': 1e+39 is beyond a 32-bit float's range (at most 3.4e38)`);
  });

  it('reads the same counts from Parquet and Arrow IPC (integer ids, as a Spark job writes them), rules and report alike', async () => {
    const csv = tmp.write('c.csv', lines('user_id,item_id,weight', '10,7,3', '10,8,1.5', '11,7,0', ',7,1', '12,9,-1', '10,7,2', '13,9,4'));
    const table = new arrow.Table({
      user_id: arrow.vectorFromArray([10n, 10n, 11n, null, 12n, 10n, 13n], new arrow.Int64()),
      item_id: arrow.vectorFromArray([7, 8, 7, 7, 9, 7, 9], new arrow.Int32()),
      weight: arrow.vectorFromArray([3, 1.5, 0, 1, -1, 2, 4], new arrow.Float64()),
    });
    const pq = tmp.write('c.parquet', pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'))));
    const ipc = tmp.write('c.arrow', arrow.tableToIPC(table, 'file'));
    const want = await readCounts(csv, { skipBad: true });
    for (const file of [pq, ipc]) {
      const got = await readCounts(file, { skipBad: true });
      expect(got.users.ids).toEqual(want.users.ids);
      expect(got.items.ids).toEqual(want.items.ids);
      expect([...got.user, ...got.item, ...got.weight]).toEqual([...want.user, ...want.item, ...want.weight]);
      expect(got.report.validation).toEqual({ malformed_row: 0, missing_id: 1, bad_weight: 1, zero_weight: 1 });
      expect(got.report.examples.bad_weight).toEqual([`${file}:row 5`]);
      expect({ read: got.report.rowsRead, kept: got.report.rowsKept }).toEqual({ read: 7, kept: 4 });
    }
    await expect(readCounts(pq)).rejects.toThrow(`${pq}:row 4: column 'user_id' is empty`);
    await expect(readCounts(ipc, { userCol: 'listener' })).rejects.toThrow(`${ipc}: missing column 'listener' (columns: user_id, item_id, weight)`);
  });

  it('reads a row group larger than a turn\'s share as its rows in small groups and as CSV', async () => {
    // Bad rows on both sides of the 32,768-row slices the reader takes per turn.
    const n = 70_000;
    const bad = new Map([[32767, 'zero'], [32768, 'missing'], [65535, 'negative'], [65536, 'zero'], [69999, 'missing']]);
    const user: (number | null)[] = [];
    const item: number[] = [];
    const weight: number[] = [];
    const csvRows = ['user_id,item_id,weight'];
    for (let i = 0; i < n; i++) {
      const b = bad.get(i);
      user.push(b === 'missing' ? null : (i * 7) % 4001);
      item.push((i * 13) % 3001);
      weight.push(b === 'zero' ? 0 : b === 'negative' ? -2 : 1 + (i % 5));
      csvRows.push(`${user[i] ?? ''},${item[i]},${weight[i]}`);
    }
    const table = new arrow.Table({
      user_id: arrow.vectorFromArray(user, new arrow.Int32()),
      item_id: arrow.vectorFromArray(item, new arrow.Int32()),
      weight: arrow.vectorFromArray(weight, new arrow.Float64()),
    });
    const parquet = (rowGroup: number): Uint8Array =>
      pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), new pw.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroup).build());
    const want = await readCounts(tmp.write('slices.csv', lines(...csvRows)), { skipBad: true });
    for (const [name, rowGroup] of [['one-group', n], ['small-groups', 1000]] as const) {
      const file = tmp.write(`${name}.parquet`, parquet(rowGroup));
      const got = await readCounts(file, { skipBad: true });
      expect(got.users.ids, name).toEqual(want.users.ids);
      expect([...got.user, ...got.item, ...got.weight], name).toEqual([...want.user, ...want.item, ...want.weight]);
      expect(got.report.validation, name).toEqual({ malformed_row: 0, missing_id: 2, bad_weight: 1, zero_weight: 2 });
      expect(got.report.examples.missing_id, name).toEqual([`${file}:row 32769`, `${file}:row 70000`]);
      expect(got.report.examples.bad_weight, name).toEqual([`${file}:row 65536`]);
    }
  });

  it('loads HetRec user_artists.dat (tab-separated)', async (ctx) => {
    const file = path.join(hetrecDir, 'user_artists.dat');
    if (!existsSync(file)) {
      ctx.skip(`dataset missing: ${path.relative(repoRoot, hetrecDir)}`);
      return;
    }
    const c = await readCounts(file, { userCol: 'userID', itemCol: 'artistID', weightCol: 'weight' });
    expect(c.report.delimiter).toBe('\t');
    expect(c.user.length).toBe(92834);
    expect(c.users.size).toBe(1892);
    expect(c.items.size).toBe(17632);
    const m = countsToInteractions(c);
    expect(m.indices.length).toBe(92834); // no duplicate (user, artist) pairs in this file
  });
});
