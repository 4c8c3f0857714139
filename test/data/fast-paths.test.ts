/**
 * The fast paths of ingest against plain reference computations: duplicates found after the read
 * (partitioned) versus checked on arrival (strict), the report's order of rules and unknown
 * kinds, and dictionary-encoded id columns with nulls and empty values across row groups.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvents, writeEventsParquet } from '../../src/data/index.js';
import { findDuplicates, findDuplicatesInTurns } from '../../src/data/find-duplicates.js';
import { EVENT_KINDS } from '../../src/types.js';
import { mulberry32 } from '../../src/util/random.js';
import { TempFiles, lines } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const T = Date.UTC(2023, 5, 1, 12);

const rng = (seed: number): (() => number) => mulberry32(seed >>> 0);

describe('findDuplicates', () => {
  it('marks exactly the later copies, across many partitions', () => {
    const n = 60_000; // several partitions
    const rand = rng(3);
    const user = new Int32Array(n);
    const track = new Int32Array(n);
    const ts = new Float64Array(n);
    const kind = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (i > 0 && rand() < 0.1) {
        const j = Math.floor(rand() * i); // copy an earlier event (maybe itself a copy)
        user[i] = user[j];
        track[i] = track[j];
        ts[i] = ts[j];
        kind[i] = rand() < 0.8 ? kind[j] : (kind[j] + 1) % 7; // sometimes only the kind differs
      } else {
        user[i] = Math.floor(rand() * 50);
        track[i] = Math.floor(rand() * 80);
        ts[i] = T + Math.floor(rand() * 40) * 1000;
        kind[i] = Math.floor(rand() * 7);
      }
    }
    const seen = new Set<string>();
    const expected: number[] = [];
    for (let i = 0; i < n; i++) {
      const key = `${user[i]}|${track[i]}|${ts[i]}|${kind[i]}`;
      if (seen.has(key)) expected.push(i);
      else seen.add(key);
    }
    expect(expected.length).toBeGreaterThan(1000);
    expect(Array.from(findDuplicates(user, track, ts, kind, n))).toEqual(expected);
    expect(findDuplicates(user, track, ts, kind, 1).length).toBe(0);
  });

  it('finds the same in steps, letting the event loop turn between them', async () => {
    const n = 60_000;
    const rand = rng(5);
    const user = Int32Array.from({ length: n }, () => Math.floor(rand() * 40));
    const track = Int32Array.from({ length: n }, () => Math.floor(rand() * 40));
    const ts = Float64Array.from({ length: n }, () => T + Math.floor(rand() * 30) * 1000);
    const kind = Uint8Array.from({ length: n }, () => Math.floor(rand() * 3));
    const want = Array.from(findDuplicates(user, track, ts, kind, n));
    expect(want.length).toBeGreaterThan(1000);
    for (const step of [1, 777, 1 << 20]) {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      const got = await findDuplicatesInTurns(user, track, ts, kind, n, step).finally(() => clearInterval(timer));
      expect(Array.from(got), `step ${step}`).toEqual(want);
      // Small steps give the loop many turns; one step the size of the log still ends.
      if (step === 777) expect(ticks, `step ${step}`).toBeGreaterThan(0);
    }
    expect((await findDuplicatesInTurns(user, track, ts, kind, 1, 5)).length).toBe(0);
    await expect(findDuplicatesInTurns(user, track, ts, kind, n, 0)).rejects.toThrow(/step must be an integer/);
  });
});

describe('duplicates found after the read', () => {
  /** Rows with duplicates, unknown kinds (some duplicated) and other violations interleaved. */
  function messyCsv(): string {
    const rows = ['user_id,track_id,timestamp,event,ms_played'];
    rows.push(`u1,t1,${T},play,1000`); // line 2
    rows.push(`u1,t1,${T},zap,1000`); // 3: unknown kind, kept as other
    rows.push(`u2,t1,${T},play,-5`); // 4: negative_duration
    rows.push(`u1,t1,${T},play,2000`); // 5: duplicate of line 2
    rows.push(`u1,t1,${T},ZAP,1000`); // 6: unknown kind, duplicate of line 3 (both other)
    rows.push(`u3,t2,${T},other,1000`); // 7
    rows.push(`u3,t2,${T},bop,1000`); // 8: unknown kind, duplicate of line 7
    rows.push(`u4,,${T},play,1000`); // 9: missing_id
    rows.push(`u4,t3,${T},bop,1000`); // 10: unknown kind, kept
    rows.push(`u1,t1,${T},play,1000`); // 11: duplicate of line 2
    return lines(...rows);
  }

  it('reports duplicates and unknown kinds in row order, as on arrival', async () => {
    const file = tmp.write('messy.csv', messyCsv());
    const { log, report } = await readEvents(file);
    expect(report.rowsRead).toBe(10);
    expect(report.rowsKept).toBe(4);
    expect(log.length).toBe(4);
    expect(report.validation.duplicate_event).toBe(4);
    expect(report.validation.unknown_event_kind).toBe(2);
    expect(report.unknownKinds).toEqual({ zap: 1, bop: 1 });
    expect(report.examples.duplicate_event).toEqual([5, 6, 8, 11].map((l) => `${file}:${l}`));
    expect(report.examples.unknown_event_kind).toEqual([3, 10].map((l) => `${file}:${l}`));
    // Rules are listed in the order of their first hit in the file.
    expect(Object.keys(report.examples)).toEqual(['unknown_event_kind', 'negative_duration', 'duplicate_event', 'missing_id']);
    // The first of equal events is the one kept, in file order.
    expect(log.users.ids).toEqual(['u1', 'u3', 'u4']);
    expect(Array.from(log.user)).toEqual([0, 0, 1, 2]);
    expect(Array.from(log.msPlayed)).toEqual([1000, 1000, 1000, 1000]);
    expect(Array.from(log.kind, (k) => EVENT_KINDS[k])).toEqual(['play', 'other', 'other', 'other']);
  });

  it('keeps the same events as the strict (on arrival) check on a larger random log', async () => {
    const rand = rng(11);
    const rows = ['user_id,track_id,timestamp,event,ms_played'];
    const kinds = ['play', 'skip', 'like', 'mystery'];
    for (let i = 0; i < 30_000; i++) {
      const k = kinds[Math.floor(rand() * kinds.length)];
      rows.push(`u${Math.floor(rand() * 40)},t${Math.floor(rand() * 60)},${T + Math.floor(rand() * 30) * 1000},${k},${Math.floor(rand() * 1000)}`);
    }
    const file = tmp.write('random.csv', lines(...rows));
    const { log, report } = await readEvents(file);
    // Reference: first occurrences of (user, track, timestamp, kind with unknown as other).
    const seen = new Set<string>();
    const keptLines: number[] = [];
    let unknownKept = 0;
    for (let r = 1; r < rows.length; r++) {
      const [u, t, ts, k] = rows[r].split(',');
      const key = `${u}|${t}|${ts}|${k === 'mystery' ? 'other' : k}`;
      if (seen.has(key)) continue;
      seen.add(key);
      keptLines.push(r + 1);
      if (k === 'mystery') unknownKept++;
    }
    expect(report.rowsKept).toBe(keptLines.length);
    expect(report.validation.duplicate_event).toBe(rows.length - 1 - keptLines.length);
    expect(report.validation.unknown_event_kind).toBe(unknownKept);
    expect(report.unknownKinds).toEqual({ mystery: unknownKept });
    const users = keptLines.map((l) => rows[l - 1].split(',')[0]);
    expect(Array.from(log.user, (u) => log.users.ids[u])).toEqual(users);
    // A strict read checks on arrival; on the duplicate-free kept rows it must agree exactly.
    const clean = tmp.write('clean.csv', lines(rows[0], ...keptLines.map((l) => rows[l - 1])));
    const strict = await readEvents(clean, { strict: true });
    const lax = await readEvents(clean);
    expect(Array.from(strict.log.user)).toEqual(Array.from(log.user));
    expect(Array.from(strict.log.timestamp)).toEqual(Array.from(log.timestamp));
    expect(Array.from(lax.log.kind)).toEqual(Array.from(strict.log.kind));
    expect(lax.report.validation).toEqual(strict.report.validation);
    // And strict mode fails on the first duplicate, naming its line.
    await expect(readEvents(file, { strict: true })).rejects.toThrow(/random\.csv:\d+: duplicate_event/);
  });
});

describe('dictionary-encoded id columns', () => {
  it('resolves ids per row group in first-kept order, with null and empty dictionary values', async () => {
    // Two row groups of 4 rows; the second group repeats known ids in another dictionary order.
    const userValues = ['', 'b', 'a', 'c'];
    const userKeys = Int32Array.from([2, 1, 0, 3, 3, 2, 1, 1]);
    const userValid = [true, true, true, false, true, true, true, true];
    const users = arrow.makeVector(
      arrow.makeData({
        type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
        length: 8,
        data: userKeys,
        dictionary: arrow.vectorFromArray(userValues, new arrow.Utf8()),
        nullBitmap: Uint8Array.from([userValid.reduce((m, v, i) => m | (v ? 1 << i : 0), 0)]),
        nullCount: 1,
      }),
    );
    const tracks = arrow.vectorFromArray(['x', 'y', 'z', 'x', 'w', 'y', 'x', 'v'], new arrow.Utf8());
    const times = arrow.vectorFromArray([0, 1, 2, 3, 4, 5, 6, 7].map((i) => BigInt(T + i * 1000)), new arrow.Int64());
    // Row 6 (user 'a') is too far in the future, so its track 'y' must not be interned by it.
    const table = new arrow.Table({ user_id: users, track_id: tracks, timestamp: times });
    const file = tmp.path('dict.parquet');
    const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(4).build();
    await writeFile(file, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props));
    const { log, report } = await readEvents(file, { asOf: T + 4500 });
    // Rows: 1 a/x, 2 b/y, 3 ''/z missing, 4 null/x missing, 5 c/w, 6 a/y future, 7 b/x future, 8 b/v future.
    expect(report.validation.missing_id).toBe(2);
    expect(report.validation.future_timestamp).toBe(3);
    expect(report.examples.missing_id).toEqual([`${file}:row 3`, `${file}:row 4`]);
    expect(log.users.ids).toEqual(['a', 'b', 'c']);
    expect(log.tracks.ids).toEqual(['x', 'y', 'w']);
    expect(Array.from(log.user)).toEqual([0, 1, 2]);
    expect(Array.from(log.track)).toEqual([0, 1, 2]);
  });

  it('reads a written log back equal over many row groups', async () => {
    const rand = rng(5);
    const n = 20_000;
    const csvRows = ['user_id,track_id,timestamp,event,ms_played'];
    for (let i = 0; i < n; i++) {
      csvRows.push(`user${Math.floor(rand() * 300)},track${Math.floor(rand() ** 2 * 900)},${T + i},play,${Math.floor(rand() * 1000)}`);
    }
    const csv = tmp.write('many.csv', lines(...csvRows));
    const fromCsv = (await readEvents(csv)).log;
    const pq = tmp.path('many.parquet');
    await writeEventsParquet(fromCsv, pq, { rowGroupSize: 3000 });
    const fromPq = (await readEvents(pq)).log;
    expect(fromPq.users.ids).toEqual(fromCsv.users.ids);
    expect(fromPq.tracks.ids).toEqual(fromCsv.tracks.ids);
    expect(Array.from(fromPq.user)).toEqual(Array.from(fromCsv.user));
    expect(Array.from(fromPq.track)).toEqual(Array.from(fromCsv.track));
    expect(Array.from(fromPq.timestamp)).toEqual(Array.from(fromCsv.timestamp));
  });

  it('reads string ids from Parquet row groups and parts with the log of the same rows as Arrow IPC', async () => {
    // The same random rows as Parquet (decoded a row group at a time on its decoding thread) and
    // as one Arrow IPC batch: dictionary-encoded and plain ids, null, empty and invalid UTF-8
    // ones, rows dropped at random so ids are first kept in later row groups, and a pseudonymized
    // user column; then as two Parquet parts on one decoding thread.
    const rand = rng(11);
    const n = 6000;
    const bad = Uint8Array.from([0x75, 0xff, 0x31]); // 'u', an invalid byte, '1'
    const utf8 = new TextEncoder();
    const users = Array.from({ length: n }, () => {
      const r = rand();
      return r < 0.02 ? null : r < 0.03 ? new Uint8Array(0) : r < 0.035 ? bad : utf8.encode(`user${Math.floor(rand() ** 2 * 700)}${r < 0.3 ? '-ü' : ''}`);
    });
    const tracks = Array.from({ length: n }, () => (rand() < 0.02 ? null : `track${Math.floor(rand() ** 3 * 2500)}`));
    const times = Array.from({ length: n }, () => BigInt(T + Math.floor(rand() * 10_000)));
    const table = (from: number, to: number, dictionaries: boolean): arrow.Table =>
      new arrow.Table({
        user_id: arrow.vectorFromArray(users.slice(from, to), new arrow.Binary()),
        track_id: arrow.vectorFromArray(tracks.slice(from, to), dictionaries ? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()) : new arrow.Utf8()),
        timestamp: arrow.vectorFromArray(times.slice(from, to), new arrow.Int64()),
      });
    const opts = { asOf: T + 7000, skipBad: true, pseudonymize: (id: string) => `p-${id.length % 5}-${id}` };
    const same = (a: Awaited<ReturnType<typeof readEvents>>, b: Awaited<ReturnType<typeof readEvents>>): void => {
      expect(a.log.users.ids).toEqual(b.log.users.ids);
      expect(a.log.tracks.ids).toEqual(b.log.tracks.ids);
      expect(Array.from(a.log.user)).toEqual(Array.from(b.log.user));
      expect(Array.from(a.log.track)).toEqual(Array.from(b.log.track));
      expect(Array.from(a.log.timestamp)).toEqual(Array.from(b.log.timestamp));
      expect(a.report.validation).toEqual(b.report.validation);
    };
    const parquet = (t: arrow.Table, rows: number, dictionaries: boolean): Uint8Array =>
      pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(t, 'stream')), new pw.WriterPropertiesBuilder().setMaxRowGroupSize(rows).setDictionaryEnabled(dictionaries).build());
    for (const dictionaries of [true, false]) {
      const arrowFile = tmp.write(`ids-${dictionaries}.arrow`, arrow.tableToIPC(table(0, n, dictionaries), 'file'));
      const reference = await readEvents(arrowFile, opts);
      expect(reference.report.validation.missing_id).toBeGreaterThan(0);
      expect(reference.report.validation.malformed_row).toBeGreaterThan(0);
      expect(reference.report.validation.future_timestamp).toBeGreaterThan(1000);
      const pqFile = tmp.path(`ids-${dictionaries}.parquet`);
      await writeFile(pqFile, parquet(table(0, n, dictionaries), 700, dictionaries));
      same(await readEvents(pqFile, opts), reference);
      const dir = tmp.path(`ids-parts-${dictionaries}`);
      await mkdir(dir);
      await writeFile(path.join(dir, 'part-0.parquet'), parquet(table(0, 2500, dictionaries), 600, dictionaries));
      await writeFile(path.join(dir, 'part-1.parquet'), parquet(table(2500, n, dictionaries), 900, dictionaries));
      same(await readEvents(dir, opts), reference);
    }
  });
});
