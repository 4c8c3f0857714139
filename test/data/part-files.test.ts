import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCounts, readEvents, writeEventsParquet } from '../../src/data/index.js';
import type { EventLog } from '../../src/types.js';
import type { ReadProgress } from '../../src/data/read-progress.js';
import { TempFiles, lines } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const T = Date.UTC(2023, 5, 1, 12);
const HEADER = 'user_id,track_id,timestamp,event,ms_played,track_duration_ms,artist_id';
const KINDS = ['play', 'skip', 'like', 'zap'];
const ROWS = Array.from({ length: 300 }, (_, i) => `u${i % 23},t${(i * 31) % 71},${T + i * 1000},${KINDS[i % 4]},${i % 9 === 0 ? '' : (i * 997) % 180000},200000,a${i % 5}`);

/** The log with ids spelled out, so logs whose dictionaries were built in another order compare. */
function spelled(log: EventLog): unknown[] {
  return Array.from({ length: log.length }, (_, i) => [log.users.ids[log.user[i]], log.tracks.ids[log.track[i]], log.timestamp[i], log.kind[i], log.msPlayed[i], log.durationMs?.[i], log.artist && log.artists ? log.artists.ids[log.artist[i]] : null]);
}

/** A directory as Spark leaves one: parts in name order, nested ones, markers and hidden files. */
function sparkDir(name: string, write: (file: string, rows: string[]) => void, ext: string): string {
  const dir = tmp.path(name);
  mkdirSync(path.join(dir, 'nested'), { recursive: true });
  mkdirSync(path.join(dir, '_temporary'), { recursive: true });
  write(path.join(dir, `part-00000${ext}`), ROWS.slice(0, 120));
  write(path.join(dir, `part-00001${ext}`), ROWS.slice(120, 121)); // a tiny part
  write(path.join(dir, 'nested', `part-00002${ext}`), ROWS.slice(121));
  writeFileSync(path.join(dir, '_SUCCESS'), '');
  writeFileSync(path.join(dir, `.part-00000${ext}.crc`), 'not data');
  writeFileSync(path.join(dir, '_temporary', `part-9${ext}`), 'not data either');
  return dir;
}

describe('a directory of part files is read as one input', () => {
  it('reads CSV (plain and gzip) and Parquet parts as the single file, skipping markers and hidden files', async () => {
    const whole = await readEvents(tmp.write('whole.csv', lines(HEADER, ...ROWS)));
    const csvDir = sparkDir('csv-parts', (f, rows) => writeFileSync(f.endsWith('00001.csv') ? `${f}.gz` : f, f.endsWith('00001.csv') ? gzipSync(lines(HEADER, ...rows)) : lines(HEADER, ...rows)), '.csv');
    const fromCsv = await readEvents(csvDir);
    // Parts are read in path order (nested/… first here): the same events, in another order.
    const sorted = (log: EventLog): string[] => spelled(log).map((r) => JSON.stringify(r)).sort();
    expect(sorted(fromCsv.log)).toEqual(sorted(whole.log));
    expect(fromCsv.report.validation).toEqual(whole.report.validation);
    expect(fromCsv.report.parts?.map((p) => path.relative(csvDir, p))).toEqual(['nested/part-00002.csv', 'part-00000.csv', 'part-00001.csv.gz']);
    // Unknown kinds are named at the part and line they are in.
    expect(fromCsv.report.examples.unknown_event_kind?.[0]).toBe(`${path.join(csvDir, 'nested', 'part-00002.csv')}:4`); // ROWS[123], the part's third row

    const pqDir = tmp.path('pq-parts');
    mkdirSync(pqDir);
    const parts = [ROWS.slice(0, 150), ROWS.slice(150)];
    for (const [i, rows] of parts.entries()) {
      const { log } = await readEvents(tmp.write(`slice-${i}.csv`, lines(HEADER, ...rows)));
      await writeEventsParquet(log, path.join(pqDir, `part-0000${i}.snappy.parquet`), { rowGroupSize: 64 });
    }
    writeFileSync(path.join(pqDir, '_SUCCESS'), '');
    const fromPq = await readEvents(pqDir);
    expect(spelled(fromPq.log)).toEqual(spelled(whole.log));
    expect(fromPq.report.rowsRead).toBe(300);
  });

  it('names the part and its own line or row for rule hits, duplicates across parts and strict failures', async () => {
    const dir = tmp.path('bad-parts');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.csv'), lines(HEADER, ROWS[0], ROWS[1]));
    writeFileSync(path.join(dir, 'b.csv'), lines(HEADER, ROWS[2], ROWS[0], `u1,t1,yesterday,play,1,200000,a1`));
    const { report, log } = await readEvents(dir);
    expect(log.length).toBe(3);
    expect(report.examples.duplicate_event).toEqual([`${path.join(dir, 'b.csv')}:3`]);
    expect(report.examples.bad_timestamp).toEqual([`${path.join(dir, 'b.csv')}:4`]);
    await expect(readEvents(dir, { strict: true })).rejects.toThrow(`${path.join(dir, 'b.csv')}:3: duplicate_event`);
  });

  it('refuses parts that differ in columns or format, and a directory without parts', async () => {
    const cols = tmp.path('cols-parts');
    mkdirSync(cols);
    writeFileSync(path.join(cols, 'a.csv'), lines(HEADER, ROWS[0]));
    writeFileSync(path.join(cols, 'b.csv'), lines('user_id,track_id,timestamp', `u,t,${T}`));
    await expect(readEvents(cols)).rejects.toThrow(`${path.join(cols, 'b.csv')}: columns user_id, track_id, timestamp differ from the first part's`);
    const mixed = tmp.path('mixed-parts');
    mkdirSync(mixed);
    writeFileSync(path.join(mixed, 'a.csv'), lines(HEADER, ROWS[0]));
    await writeEventsParquet((await readEvents(path.join(mixed, 'a.csv'))).log, path.join(mixed, 'b.parquet'));
    await expect(readEvents(mixed)).rejects.toThrow(`${mixed}: part files of different formats (a.csv, b.parquet)`);
    const empty = tmp.path('no-parts');
    mkdirSync(empty);
    writeFileSync(path.join(empty, '_SUCCESS'), '');
    await expect(readEvents(empty)).rejects.toThrow(`${empty}: a directory without part files`);
  });

  it('reads counts from part files (a Spark aggregation) as from one file', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `u${i % 7},i${i},${1 + (i % 4)}`);
    const whole = await readCounts(tmp.write('counts.csv', lines('user_id,item_id,weight', ...rows)));
    const dir = tmp.path('count-parts');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'part-0.csv'), lines('user_id,item_id,weight', ...rows.slice(0, 20)));
    writeFileSync(path.join(dir, 'part-1.csv.gz'), gzipSync(lines('user_id,item_id,weight', ...rows.slice(20), 'u1,i1,-3')));
    const parts = await readCounts(dir, { skipBad: true });
    const pairs = (c: typeof whole): string[] => Array.from({ length: c.user.length }, (_, i) => `${c.users.ids[c.user[i]]}/${c.items.ids[c.item[i]]}/${c.weight[i]}`);
    expect(pairs(parts)).toEqual(pairs(whole));
    expect(parts.report.examples.bad_weight).toEqual([`${path.join(dir, 'part-1.csv.gz')}:32`]);
  });
});

describe('read progress', () => {
  it('reports bytes of the files (gzip: compressed) for text and rows for Parquet, ending at the total', async () => {
    const many = Array.from({ length: 40000 }, (_, i) => ROWS[i % ROWS.length].replace(/^u\d+/, `u${i}`));
    const dir = tmp.path('progress-parts');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.csv'), lines(HEADER, ...many.slice(0, 25000)));
    writeFileSync(path.join(dir, 'b.csv.gz'), gzipSync(lines(HEADER, ...many.slice(25000))));
    const seen: ReadProgress[] = [];
    const { log } = await readEvents(dir, { onProgress: (p) => seen.push({ ...p }) });
    expect(log.length).toBeGreaterThan(0);
    const total = seen[0].total!;
    expect(seen.every((p) => p.unit === 'bytes' && p.total === total)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
    expect(seen.at(-1)!.done).toBe(total);
    expect(seen.length).toBeGreaterThan(2); // several chunks, not one report at the end

    const pq = tmp.path('progress.parquet');
    await writeEventsParquet(log, pq, { rowGroupSize: 10000 });
    const rows: ReadProgress[] = [];
    await readEvents(pq, { onProgress: (p) => rows.push({ ...p }) });
    expect(rows.map((p) => p.done)).toEqual([10000, 20000, 30000, 40000].filter((n) => n < log.length).concat(log.length));
    expect(rows.every((p) => p.unit === 'rows' && p.total === log.length)).toBe(true);
  });
});
