import { readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  readEvents,
  writeEventsArrow,
  writeEventsCsv,
  writeEventsParquet,
} from '../../src/data/index.js';
import type { EventLog } from '../../src/types.js';
import { EVENT_RULES, ReportBuilder } from '../../src/data/ingest-report.js';
import { ArrowEventSink, arrowEventColumns } from '../../src/data/read-events-arrow.js';
import { TempFiles, lines } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const T = Date.UTC(2023, 5, 1, 12);

/** A CSV with every column, quoting, missing optional values and an unknown kind. */
function sampleCsv(): string {
  const rows = ['user_id,track_id,timestamp,event,ms_played,track_duration_ms,artist_id,context'];
  const kinds = ['play', 'skip', 'like', 'dislike', 'playlist_add', 'share', 'zap'];
  for (let i = 0; i < 500; i++) {
    const user = i % 7 === 0 ? '"user, quoted"' : i % 17 === 0 ? 'üser-🎵' : `u${i % 37}`;
    const ms = i % 11 === 0 ? '' : String((i * 997) % 180000);
    const dur = i % 13 === 0 ? '' : '200000';
    const artist = i % 5 === 0 ? '' : `a${i % 9}`;
    const ctx = i % 4 === 0 ? '' : `c${i % 3}`;
    rows.push(`${user},t${(i * 31) % 101},${T + i * 1000},${kinds[i % kinds.length]},${ms},${dur},${artist},${ctx}`);
  }
  return lines(...rows);
}

/** The log with ids spelled out, so logs with differently ordered dictionaries compare. */
function spelled(log: EventLog): Record<string, unknown[]> {
  const id = (d: { ids: readonly string[] } | undefined, a: Int32Array | undefined, i: number): string | null =>
    d && a && a[i] >= 0 ? d.ids[a[i]] : null;
  const out: Record<string, unknown[]> = { user: [], track: [], ts: [], kind: [], ms: [], dur: [], artist: [], context: [] };
  for (let i = 0; i < log.length; i++) {
    out.user.push(log.users.ids[log.user[i]]);
    out.track.push(log.tracks.ids[log.track[i]]);
    out.ts.push(log.timestamp[i]);
    out.kind.push(log.kind[i]);
    out.ms.push(log.msPlayed[i]);
    out.dur.push(log.durationMs ? log.durationMs[i] : undefined);
    out.artist.push(id(log.artists, log.artist, i));
    out.context.push(id(log.contexts, log.context, i));
  }
  return out;
}

describe('Parquet and Arrow events', () => {
  it('round-trips through Parquet, Arrow IPC and CSV equal to the CSV read', async () => {
    const csv = tmp.write('sample.csv', sampleCsv());
    const { log } = await readEvents(csv);
    expect(log.length).toBe(500);
    const pq = tmp.path('sample.parquet');
    await writeEventsParquet(log, pq, { rowGroupSize: 128 });
    const ipc = tmp.path('sample.arrow');
    await writeEventsArrow(log, ipc);
    const csv2 = tmp.path('again.csv');
    await writeEventsCsv(log, csv2);

    const fromPq = await readEvents(pq);
    expect(fromPq.report.format).toBe('parquet');
    expect(fromPq.report.timestampFormat).toBe('timestamp_ms');
    expect(fromPq.report.rowsKept).toBe(500);
    const fromIpc = await readEvents(ipc);
    expect(fromIpc.report.format).toBe('arrow');
    const fromCsv = await readEvents(csv2);
    const expected = spelled(log);
    expect(spelled(fromPq.log)).toEqual(expected);
    expect(spelled(fromIpc.log)).toEqual(expected);
    expect(spelled(fromCsv.log)).toEqual(expected);
    expect(fromPq.log.users.ids).toEqual(log.users.ids);
  });

  it('reads back every compression the writer offers, and names a bad one', async () => {
    const { log } = await readEvents(tmp.write('codecs.csv', sampleCsv()));
    const expected = spelled(log);
    for (const compression of ['zstd', 'snappy', 'lz4', 'none'] as const) {
      const pq = tmp.path(`codec-${compression}.parquet`);
      await writeEventsParquet(log, pq, { compression, rowGroupSize: 200 });
      expect(spelled((await readEvents(pq)).log)).toEqual(expected);
    }
    await expect(writeEventsParquet(log, tmp.path('bad.parquet'), { compression: 'gzip' as 'zstd' })).rejects.toThrow(/compression must be one of zstd, snappy, lz4, none/);
    await expect(writeEventsParquet(log, tmp.path('bad.parquet'), { rowGroupSize: 0 })).rejects.toThrow(/rowGroupSize must be a positive integer, got 0/);
    // The writer streams one row group at a time: 500 rows in groups of 128 make four.
    const grouped = tmp.path('groups.parquet');
    await writeEventsParquet(log, grouped, { rowGroupSize: 128 });
    const meta = (await pw.ParquetFile.fromFile(new Blob([readFileSync(grouped)]))).metadata();
    expect(Array.from({ length: meta.numRowGroups() }, (_, g) => meta.rowGroup(g).numRows())).toEqual([128, 128, 128, 116]);
    expect(spelled((await readEvents(grouped)).log)).toEqual(expected);
  });

  it('reads ids written as plain strings (no dictionary pages) as it reads dictionary-encoded ones', async () => {
    const { log } = await readEvents(tmp.write('plain.csv', sampleCsv()));
    const pq = tmp.path('plain-ids.parquet');
    await writeEventsParquet(log, pq, { plainIds: true, rowGroupSize: 150 });
    const schema = arrow.tableFromIPC(pw.readParquet(readFileSync(pq)).intoIPCStream()).schema;
    for (const c of ['user_id', 'track_id', 'artist_id']) expect(String(schema.fields.find((f) => f.name === c)?.type)).toBe('Utf8');
    const back = await readEvents(pq);
    expect(spelled(back.log)).toEqual(spelled(log));
    expect(back.log.users.ids).toEqual(log.users.ids);
  });

  it('applies the same rules to Parquet rows, locating them by row across row groups', async () => {
    const csv = tmp.write(
      'rules.csv',
      lines('user_id,track_id,timestamp,event,ms_played', `u1,t1,${T},play,1`, `u1,t1,${T},play,1`, `u2,t2,${T + 1},play,1`, `u3,t3,${T + 2},play,1`),
    );
    const { log } = await readEvents(csv);
    // Duplicates are dropped on read, so build a file that has them: repeat the log's rows.
    const doubled: EventLog = {
      ...log,
      length: log.length * 2,
      user: Int32Array.from([...log.user, ...log.user]),
      track: Int32Array.from([...log.track, ...log.track]),
      timestamp: Float64Array.from([...log.timestamp, ...log.timestamp]),
      kind: Uint8Array.from([...log.kind, ...log.kind]),
      msPlayed: Float32Array.from([...log.msPlayed, ...log.msPlayed]),
    };
    const pq = tmp.path('dups.parquet');
    await writeEventsParquet(doubled, pq, { rowGroupSize: 2 });
    const { log: back, report } = await readEvents(pq, { asOf: T + 1 });
    expect(report.validation.duplicate_event).toBe(2);
    expect(report.validation.future_timestamp).toBe(2);
    expect(report.examples.future_timestamp).toEqual([`${pq}:row 3`, `${pq}:row 6`]);
    expect(report.examples.duplicate_event).toEqual([`${pq}:row 4`, `${pq}:row 5`]);
    expect(back.length).toBe(2);
    await expect(readEvents(pq, { asOf: T + 1, strict: true })).rejects.toThrow(`${pq}:row 3: future_timestamp`);
  });

  it('takes a batch larger than a turn\'s share in several turns, with the rows and rules of small batches', async () => {
    // Rule breaks on both sides of the 32,768-row slices, and duplicates of a previous slice's last row.
    const n = 100_000;
    const emptyUser = new Set([32766, 65540, 99999]);
    const nullTime = new Set([3, 32770, 98304]);
    const repeat = new Set([32768, 65536, 90001]);
    const mystery = new Set([10, 40000, 70000]);
    const kinds = ['play', 'skip', 'like', 'play'];
    const user: string[] = [];
    const track: string[] = [];
    const time: (bigint | null)[] = [];
    const event: string[] = [];
    const ms: (number | null)[] = [];
    for (let i = 0; i < n; i++) {
      const j = repeat.has(i) ? i - 1 : i;
      user.push(emptyUser.has(i) ? '' : `u${j % 997}`);
      track.push(`t${(j * 31) % 5003}`);
      time.push(nullTime.has(i) ? null : BigInt(T + j * 1000));
      event.push(mystery.has(i) ? 'mystery' : kinds[j % 4]);
      ms.push(j % 9 === 0 ? null : (j * 7) % 200_000);
    }
    const table = new arrow.Table({
      user_id: arrow.vectorFromArray(user, new arrow.Utf8()),
      track_id: arrow.vectorFromArray(track, new arrow.Utf8()),
      timestamp: arrow.vectorFromArray(time, new arrow.Int64()),
      event: arrow.vectorFromArray(event, new arrow.Utf8()),
      ms_played: arrow.vectorFromArray(ms, new arrow.Float64()),
    });
    const write = async (name: string, rowGroup: number): Promise<string> => {
      const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroup).build();
      const file = tmp.path(name);
      await import('node:fs/promises').then((fs) => fs.writeFile(file, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props)));
      return file;
    };
    const whole = await readEvents(await write('one-group.parquet', n), { asOf: T + n * 1000 });
    const small = await readEvents(await write('small-groups.parquet', 1000), { asOf: T + n * 1000 });
    expect(whole.report.validation).toEqual(small.report.validation);
    expect(whole.report.validation).toMatchObject({ missing_id: 3, bad_timestamp: 3, duplicate_event: 3 });
    expect(whole.report.unknownKinds).toEqual({ mystery: 3 });
    const rows = (r: typeof whole.report): Record<string, string[]> =>
      Object.fromEntries(Object.entries(r.examples).map(([rule, at]) => [rule, at.map((a) => a.slice(a.lastIndexOf(':') + 1))]));
    expect(rows(whole.report)).toEqual(rows(small.report));
    expect(rows(whole.report).missing_id).toEqual(['row 32767', 'row 65541', 'row 100000']);
    expect(rows(whole.report).duplicate_event).toEqual(['row 32769', 'row 65537', 'row 90002']);
    expect(spelled(whole.log)).toEqual(spelled(small.log));
    expect(whole.log.length).toBe(n - 9);

    // The sink itself: the batch's rows go in slices, and the loop turns between them.
    const report = new ReportBuilder('table', 'arrow', 'row', EVENT_RULES, false, false);
    const sink = new ArrowEventSink('table', { asOf: T + n * 1000 }, report, arrowEventColumns('table', table.schema.fields.map((f) => f.name), {}, report), n);
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const added = sink.addBatch(table.batches[0]);
    await added;
    ticking = false;
    expect(table.batches.length).toBe(1);
    expect(ticks).toBeGreaterThanOrEqual(Math.ceil(n / 32768));
    const fromSink = await sink.finish();
    expect(spelled(fromSink)).toEqual(spelled(whole.log));
    // Plain strings looked up a slice at a time: ids are numbered in first-kept order all the same.
    expect(fromSink.users.ids).toEqual(whole.log.users.ids);
    expect(fromSink.tracks.ids).toEqual(whole.log.tracks.ids);
    expect(Array.from(fromSink.user)).toEqual(Array.from(whole.log.user));
    expect(report.finish().validation).toEqual(whole.report.validation);
  });

  it('reads files from other writers: integer ids, epoch-second integers, plain strings and nulls', async () => {
    const users = arrow.vectorFromArray([101n, 102n, null, 101n], new arrow.Int64());
    const tracks = arrow.vectorFromArray(['x', 'y', 'z', ''], new arrow.Utf8());
    const times = arrow.vectorFromArray([1685620800n, 1685620860n, 1685620900n, 1685620920n], new arrow.Int64());
    const kinds = arrow.vectorFromArray(['play', 'SKIP', 'play', 'mystery'], new arrow.Utf8());
    const ms = arrow.vectorFromArray([1000, null, 3, 4], new arrow.Float64());
    const table = new arrow.Table({ user_id: users, track_id: tracks, timestamp: times, event: kinds, ms_played: ms });
    const file = tmp.path('foreign.parquet');
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')));
    await import('node:fs/promises').then((fs) => fs.writeFile(file, bytes));
    const { log, report } = await readEvents(file);
    expect(report.timestampFormat).toBe('epoch_s');
    expect(report.columns).toMatchObject({ event: 'event', ms_played: 'ms_played', context: null });
    expect(report.validation.missing_id).toBe(2);
    expect(log.users.ids).toEqual(['101', '102']);
    expect(log.tracks.ids).toEqual(['x', 'y']);
    expect(Array.from(log.timestamp)).toEqual([1685620800000, 1685620860000]);
    expect(Array.from(log.kind)).toEqual([0, 1]);
    expect(log.msPlayed[0]).toBe(1000);
    expect(Number.isNaN(log.msPlayed[1])).toBe(true);

    // An ISO string timestamp column and a kept unknown kind through Arrow IPC.
    const t2 = new arrow.Table({
      user_id: arrow.vectorFromArray(['a', 'b'], new arrow.Utf8()),
      track_id: arrow.vectorFromArray(['x', 'y'], new arrow.Utf8()),
      timestamp: arrow.vectorFromArray(['2023-06-01T12:00:00Z', '2023-06-01T12:00:05.250Z'], new arrow.Utf8()),
      event: arrow.vectorFromArray(['mystery', 'like'], new arrow.Utf8()),
    });
    const ipcFile = tmp.write('iso.feather', arrow.tableToIPC(t2, 'file'));
    const r2 = await readEvents(ipcFile);
    expect(r2.report.timestampFormat).toBe('iso8601');
    expect(r2.report.unknownKinds).toEqual({ mystery: 1 });
    // The report says which column each role was read from and which optional ones are missing.
    expect(r2.report.columns).toEqual({ user_id: 'user_id', track_id: 'track_id', timestamp: 'timestamp', event: 'event', ms_played: null, track_duration_ms: null, artist_id: null, context: null });
    expect(Array.from(r2.log.timestamp)).toEqual([Date.UTC(2023, 5, 1, 12), Date.UTC(2023, 5, 1, 12, 0, 5, 250)]);
    // The same table in the IPC stream format.
    const streamFile = tmp.write('iso.ipc', arrow.tableToIPC(t2, 'stream'));
    const r3 = await readEvents(streamFile);
    expect(Array.from(r3.log.timestamp)).toEqual(Array.from(r2.log.timestamp));
    expect(r3.log.users.ids).toEqual(['a', 'b']);
  });

  it('reads UUID ids, decimal and text numbers as other writers type them (DuckDB, Spark)', async () => {
    const n = 40000; // more rows than a reader that sized decimals as n words would cover
    const words = new Uint32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const v = i % 7 === 0 ? -(i * 100 + 25) : i * 100 + 25; // hundredths; every 7th negative
      const sign = v < 0 ? 0xffffffff : 0;
      words.set([v >>> 0, sign, sign, sign], i * 4);
    }
    const uuids = new Uint8Array(n * 16).map((_, i) => (i * 37) & 255);
    const table = new arrow.Table({
      user_id: arrow.makeVector(arrow.makeData({ type: new arrow.FixedSizeBinary(16), length: n, data: uuids })),
      track_id: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => `t${i % 50}`), new arrow.Utf8()),
      timestamp: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => T + i * 1000), new arrow.Float64()),
      ms_played: arrow.makeVector(arrow.makeData({ type: new arrow.Decimal(2, 12, 128), length: n, data: words })),
      track_duration_ms: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => (i === 5 ? 'abc' : i === 8 ? ' ' : `${300000 + i}`)), new arrow.Utf8()),
    });
    const file = tmp.write('typed.parquet', pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'))));
    const { log, report } = await readEvents(file, { skipBad: true });
    // 16-byte ids print as canonical UUIDs.
    const hex = (i: number): string => Array.from(uuids.subarray(i * 16, i * 16 + 16), (b) => b.toString(16).padStart(2, '0')).join('');
    const uuid = (i: number): string => hex(i).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    expect(log.users.get(uuid(n - 1))).toBeDefined();
    expect(log.users.ids[log.user[0]]).toBe(uuid(1));
    // Decimals with their scale and sign: the negative ones are dropped as negative durations.
    expect(report.validation.negative_duration).toBe(Math.ceil(n / 7));
    expect(log.msPlayed[0]).toBeCloseTo(1.25, 6);
    expect(log.msPlayed[log.length - 1]).toBeCloseTo(39999.25, 2);
    // Numbers written as text parse like CSV fields; junk is malformed, blank is unknown.
    expect(report.validation.malformed_row).toBe(1);
    expect(report.examples.malformed_row).toEqual([`${file}:row 6`]);
    const at = (row: number): number => log.durationMs![Array.from(log.timestamp).indexOf(T + row * 1000)];
    expect(at(9)).toBe(300009);
    expect(at(8)).toBeNaN();
  });

  it('pseudonymizes dictionary-encoded and integer user ids from Parquet', async () => {
    const csv = tmp.write('pii.csv', lines('user_id,track_id,timestamp', `alice,t1,${T}`, `bob,t2,${T}`, `alice,t3,${T + 1}`));
    const { log } = await readEvents(csv);
    const pq = tmp.path('pii.parquet');
    await writeEventsParquet(log, pq);
    const mask = (id: string): string => `p${id.length}${id.split('').reverse().join('')}`;
    const back = await readEvents(pq, { pseudonymize: mask });
    expect(back.log.users.ids).toEqual([mask('alice'), mask('bob')]);
    expect(back.log.users.get('alice')).toBeUndefined();
    expect(Array.from(back.log.user)).toEqual([0, 1, 0]);

    const ints = new arrow.Table({
      user_id: arrow.vectorFromArray([7n, 8n], new arrow.Int64()),
      track_id: arrow.vectorFromArray(['x', 'y'], new arrow.Utf8()),
      timestamp: arrow.vectorFromArray([T, T + 5], new arrow.Float64()),
    });
    const intFile = tmp.write('int-users.parquet', pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(ints, 'stream'))));
    const r = await readEvents(intFile, { pseudonymize: mask });
    expect(r.log.users.ids).toEqual([mask('7'), mask('8')]);
    expect(r.report.timestampFormat).toBe('epoch_ms');
  });

  it('names the file for truncated Parquet and Arrow files and a missing column', async () => {
    const csv = tmp.write('small.csv', lines('user_id,track_id,timestamp', `u,t,${T}`, `v,t,${T}`));
    const { log } = await readEvents(csv);
    const pq = tmp.path('good.parquet');
    await writeEventsParquet(log, pq);
    const bytes = readFileSync(pq);
    const cut = tmp.write('cut.parquet', bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readEvents(cut)).rejects.toThrow(`${cut}: not a readable Parquet file`);
    const ipc = tmp.path('good.arrow');
    await writeEventsArrow(log, ipc);
    const ipcBytes = readFileSync(ipc);
    const cutIpc = tmp.write('cut.arrow', ipcBytes.subarray(0, Math.floor(ipcBytes.length / 2)));
    await expect(readEvents(cutIpc)).rejects.toThrow(cutIpc);

    // A garbled page in the middle of row group 1 (the footer intact) fails that read with the
    // group named; parquet-wasm may panic on it, which once ended the whole process. Reads after it work.
    const many = await readEvents(tmp.write('many.csv', sampleCsv()));
    const grouped = tmp.path('grouped.parquet');
    await writeEventsParquet(many.log, grouped, { rowGroupSize: 200 });
    const good = readFileSync(grouped);
    const meta = (await pw.ParquetFile.fromFile(new Blob([good]))).metadata();
    // The writer lays the column chunks out one after another behind the 4-byte magic: garble the
    // middle of each of group 1's chunks.
    const garbled = Uint8Array.from(good);
    let at = 4 + meta.rowGroup(0).compressedSize();
    for (const chunk of meta.rowGroup(1).columns()) {
      const middle = at + Math.floor(chunk.compressedSize() / 2);
      for (let i = middle - 8; i < middle + 8; i++) garbled[i] ^= 0x5a;
      at += chunk.compressedSize();
    }
    const bad = tmp.write('garbled.parquet', garbled);
    await expect(readEvents(bad)).rejects.toThrow(`${bad}: row group 1: cannot read (truncated or corrupt?)`);
    expect((await readEvents(grouped)).log.length).toBe(500);

    const noTime = new arrow.Table({
      user_id: arrow.vectorFromArray(['a'], new arrow.Utf8()),
      track_id: arrow.vectorFromArray(['x'], new arrow.Utf8()),
      when: arrow.vectorFromArray([1], new arrow.Int32()),
    });
    const wrong = tmp.write('wrong.parquet', pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(noTime, 'stream'))));
    await expect(readEvents(wrong)).rejects.toThrow(`${wrong}: missing column 'timestamp' (columns: user_id, track_id, when)`);
    await expect(readEvents(wrong, { timeCol: 'when' })).resolves.toMatchObject({ report: { timestampFormat: 'epoch_s' } });
  });
});
