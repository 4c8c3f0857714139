import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../reference/random.js';
import { readEvents, readUserIds } from '../../src/data/index.js';
import type { ReadProgress } from '../../src/data/read-progress.js';
import { delimitedField } from '../../src/util/csv-field.js';
import { TempFiles, lines } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const T = Date.UTC(2026, 0, 5, 12);
const NAMES = ['u', 'user, with comma', 'quote "q"', 'Zoë', '用户', '🎧', ' padded ', 'U'];

interface Row {
  user: string | null;
  track: string;
  timestamp: string;
}

/** Seeded rows: ids of every kind, and rows a full read drops (bad or future timestamps, missing tracks, duplicates). */
function rows(count: number, seed: number): Row[] {
  const rng = mulberry32(seed);
  const rnd = (n: number): number => Math.floor(rng() * n);
  return Array.from({ length: count }, () => {
    const k = rnd(40);
    const user = k === 0 ? null : `${NAMES[rnd(NAMES.length)]}${rnd(60)}`;
    const bad = rnd(10);
    const timestamp = bad === 0 ? 'yesterday' : bad === 1 ? String(Date.UTC(2999, 0, 1)) : String(T + rnd(5) * 1000);
    return { user, track: bad === 2 ? '' : `t${rnd(30)}`, timestamp };
  });
}

/** The oracle: distinct non-empty ids in order of first appearance. */
function distinctUsers(rs: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rs) if (r.user !== null && r.user !== '') seen.add(r.user);
  return [...seen];
}

function csvText(rs: readonly Row[], userHeader = 'user_id'): string {
  return lines(`${userHeader},track_id,timestamp`, ...rs.map((r) => [r.user ?? '', r.track, r.timestamp].map((f) => delimitedField(f, ',')).join(',')));
}

function table(rs: readonly Row[]): arrow.Table {
  return new arrow.Table({
    user_id: arrow.vectorFromArray(rs.map((r) => r.user), new arrow.Utf8()),
    track_id: arrow.vectorFromArray(rs.map((r) => r.track), new arrow.Utf8()),
    timestamp: arrow.vectorFromArray(rs.map((r) => Number(r.timestamp)), new arrow.Float64()),
  });
}

function parquetBytes(t: arrow.Table, rowGroup: number, dictionary: boolean): Uint8Array {
  const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroup).setDictionaryEnabled(dictionary).build();
  return pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(t, 'stream')), props);
}

describe('readUserIds reads the user column alone', () => {
  const rs = rows(3000, 7);
  const want = distinctUsers(rs);

  it('gives the distinct ids of CSV, gzip CSV, Parquet (plain and dictionary) and Arrow IPC in order of first appearance', async () => {
    expect(want.length).toBeGreaterThan(300);
    expect(await readUserIds(tmp.write('ids.csv', csvText(rs)))).toEqual(want);
    expect(await readUserIds(tmp.write('ids.csv.gz', gzipSync(csvText(rs))))).toEqual(want);
    expect(await readUserIds(tmp.write('ids.tsv', csvText(rs).replaceAll(',', '\t')), {})).toEqual(distinctUsers(rs.map((r) => ({ ...r, user: r.user?.replaceAll(',', '\t') ?? null }))));
    // Small row groups: ids recur across groups, and the decoding thread's numbering runs across them.
    expect(await readUserIds(tmp.write('plain.parquet', parquetBytes(table(rs), 256, false)))).toEqual(want);
    expect(await readUserIds(tmp.write('dict.parquet', parquetBytes(table(rs), 256, true)))).toEqual(want);
    expect(await readUserIds(tmp.write('ids.arrow', arrow.tableToIPC(table(rs), 'file')))).toEqual(want);
  });

  it('holds every id a full read keeps, and the ids of rows it drops', async () => {
    const file = tmp.write('full.csv', csvText(rs));
    const { log, report } = await readEvents(file, { skipBad: true, allowEmpty: true });
    expect(report.rowsKept).toBeLessThan(report.rowsRead); // the rows above do break rules
    const ids = new Set(await readUserIds(file));
    for (const id of log.users.ids) expect(ids.has(id)).toBe(true);
    expect(ids.size).toBeGreaterThan(log.users.ids.length);
  });

  it('reads a directory of parts (CSV, Parquet) in path order', async () => {
    const csvDir = tmp.path('csv-parts');
    const pqDir = tmp.path('pq-parts');
    mkdirSync(csvDir);
    mkdirSync(pqDir);
    const slices = [rs.slice(0, 1000), rs.slice(1000, 1001), rs.slice(1001)];
    for (const [i, part] of slices.entries()) {
      writeFileSync(path.join(csvDir, `part-0000${i}.csv`), csvText(part));
      writeFileSync(path.join(pqDir, `part-0000${i}.parquet`), parquetBytes(table(part), 300, i !== 1));
    }
    writeFileSync(path.join(csvDir, '_SUCCESS'), '');
    writeFileSync(path.join(pqDir, '_SUCCESS'), '');
    expect(await readUserIds(csvDir)).toEqual(want);
    expect(await readUserIds(pqDir)).toEqual(want);
    // Progress runs across the parts to the whole input: its bytes (text) or rows (Parquet).
    const seen: ReadProgress[] = [];
    expect(await readUserIds(csvDir, { onProgress: (p) => seen.push(p) })).toEqual(want);
    const bytes = slices.reduce((a, part) => a + Buffer.byteLength(csvText(part)), 0);
    expect(seen.at(-1)).toEqual({ done: bytes, total: bytes, unit: 'bytes' });
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done)).toBe(true);
    seen.length = 0;
    await readUserIds(pqDir, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ done: rs.length, total: rs.length, unit: 'rows' });
    expect(seen.length).toBeGreaterThan(3);
  });

  it('finds a renamed column as readEvents does, and names the columns when it is missing', async () => {
    const file = tmp.write('renamed.csv', csvText(rs, 'Listener'));
    expect(await readUserIds(file, { userCol: 'listener' })).toEqual(want);
    await expect(readUserIds(file)).rejects.toThrow(/missing column 'user_id'.*Listener, track_id, timestamp/);
    const ambiguous = tmp.write('twice.csv', lines('user_id,USER_ID,track_id', 'a,b,t'));
    await expect(readUserIds(ambiguous, { userCol: 'User_Id' })).rejects.toThrow(/ambiguous/);
  });

  it('passes over rows that cannot be split, empty ids and ids that are not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from(lines('user_id,track_id,timestamp', 'a,t1,1', 'b,t1', 'd,t3,4,extra')),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',t4,5\n,t5,6\n"",t6,7\ne,t7,8\n'),
    ]);
    const ids = await readUserIds(tmp.write('bad.csv', bytes));
    expect(ids).toEqual(['a', 'e']);
  });

  it('reads integer ids as their decimal text, and an empty file as no ids', async () => {
    const ints = new arrow.Table({
      user_id: arrow.vectorFromArray([5n, 7n, 5n, null, 9007199254740993n], new arrow.Int64()),
      track_id: arrow.vectorFromArray(['a', 'b', 'c', 'd', 'e'], new arrow.Utf8()),
    });
    expect(await readUserIds(tmp.write('ints.parquet', parquetBytes(ints, 2, false)))).toEqual(['5', '7', '9007199254740993']);
    expect(await readUserIds(tmp.write('empty.csv', ''))).toEqual([]);
    expect(await readUserIds(tmp.write('header.csv', 'user_id,track_id\n'))).toEqual([]);
  });
});
