import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCounts, readEvents, type ReadCountsOptions, type ReadEventsOptions } from '../../src/data/index.js';
import { planCuts } from '../../src/data/csv-split-read.js';
import { eventColumnOptions } from '../../src/config/interaction-source.js';
import type { IngestReport } from '../../src/data/ingest-report.js';
import { mulberry32 } from '../../src/util/random.js';
import type { EventLog } from '../../src/types.js';
import { TempFiles } from './temp-files.js';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const AS_OF = Date.UTC(2024, 0, 1);
const T0 = Date.UTC(2023, 5, 1);
const HEADER = 'user_id,track_id,timestamp,event,ms_played,track_duration_ms,artist_id,context\n';
const KINDS = ['play', 'play', 'play', 'skip', 'like', 'dance', 'playlist_add'];

/**
 * A random event file of about `rows` rows with rows of every kind of trouble a read meets:
 * malformed rows, rule breakers, duplicates of rows far before, unknown kinds, ids that are not
 * UTF-8, multi-byte ids, blank lines, CRLF line ends and quoted fields holding delimiters and
 * line ends.
 */
function randomEventFile(seed: number, rows: number): Buffer {
  const r = mulberry32(seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const out: Buffer[] = [Buffer.from(HEADER)];
  const kept: string[] = [];
  for (let i = 0; i < rows; i++) {
    const u = pick(5) === 0 ? `ü${pick(40)}` : `u${pick(300)}`;
    const t = `t${pick(500)}`;
    const dur = 120000 + pick(200000);
    const ms = pick(dur);
    const ctx = pick(6) === 0 ? `"mobile,\n""EU"""` : `desktop:${pick(4)}`;
    let line = `${u},${t},${T0 + pick(1e9)},${KINDS[pick(KINDS.length)]},${ms},${dur},a${pick(50)},${ctx}`;
    const trouble = pick(40);
    if (trouble === 0) line = `${u},${t},${T0}`; // too few fields
    else if (trouble === 1) line = `${u},"${t}"x,${T0},play,1,2,a,b`; // garbage after a quote
    else if (trouble === 2) line = `,${t},${T0},play,1,2,a,b`; // missing_id
    else if (trouble === 3) line = `${u},${t},noon,play,1,2,a,b`; // bad_timestamp
    else if (trouble === 4) line = `${u},${t},${AS_OF + 5},play,1,2,a,b`; // future_timestamp
    else if (trouble === 5) line = `${u},${t},${T0},play,-1,2,a,b`; // negative_duration
    else if (trouble === 6 && kept.length > 0) line = kept[pick(kept.length)]; // duplicate_event
    else if (trouble === 7) line = `${u},${t},${T0},play,x1,2,a,b`; // not a number
    else kept.push(line);
    if (trouble === 8) {
      out.push(Buffer.from(`${u}`), Buffer.from([0xc3, 0x28]), Buffer.from(`,${t},${T0 + i},play,1,2,a,b\n`)); // invalid UTF-8 user
      continue;
    }
    if (trouble === 9) out.push(Buffer.from('\n')); // blank line
    out.push(Buffer.from(line + (pick(10) === 0 ? '\r\n' : '\n')));
  }
  return Buffer.concat(out);
}

function withoutTime(report: IngestReport): Omit<IngestReport, 'seconds'> {
  const { seconds: _s, ...rest } = report;
  return rest;
}

/** The log's columns and dictionaries as plain arrays, for one deep comparison. */
function plainLog(log: EventLog): Record<string, unknown> {
  return {
    length: log.length,
    users: [...log.users.ids],
    tracks: [...log.tracks.ids],
    artists: log.artists ? [...log.artists.ids] : undefined,
    contexts: log.contexts ? [...log.contexts.ids] : undefined,
    user: Array.from(log.user),
    track: Array.from(log.track),
    timestamp: Array.from(log.timestamp),
    kind: Array.from(log.kind),
    msPlayed: Array.from(log.msPlayed),
    durationMs: log.durationMs && Array.from(log.durationMs),
    artist: log.artist && Array.from(log.artist),
    context: log.context && Array.from(log.context),
  };
}

/** Reads `file` on one thread and on `threads`, and expects the same log and report (or the same error). */
async function expectSameAsOneThread(file: string, threads: number, opts: ReadEventsOptions): Promise<void> {
  const one = await readEvents(file, { ...opts, readThreads: 1 }).catch((err: unknown) => err as Error);
  const split = await readEvents(file, { ...opts, readThreads: threads }).catch((err: unknown) => err as Error);
  if (one instanceof Error) {
    expect(split).toBeInstanceOf(Error);
    expect((split as Error).message).toBe(one.message);
    return;
  }
  expect(split).not.toBeInstanceOf(Error);
  const s = split as Exclude<typeof split, Error>;
  expect(withoutTime(s.report)).toEqual(withoutTime(one.report));
  expect(plainLog(s.log)).toEqual(plainLog(one.log));
}

describe('CSV files read in byte ranges on several threads', () => {
  it('gives the log and report of a read on one thread, for random files with every kind of bad row', async () => {
    for (const seed of [1, 2, 3]) {
      const bytes = randomEventFile(seed, 3000 + seed * 500);
      const file = tmp.write(`random-${seed}.csv`, bytes);
      const minRangeBytes = Math.floor(bytes.length / 5);
      // The split is really taken: the file has places to cut for each thread count.
      for (const threads of [2, 3, 5]) {
        expect((await planCuts(file, HEADER.length, bytes.length, threads)).length).toBe(threads - 1);
        await expectSameAsOneThread(file, threads, { asOf: AS_OF, skipBad: true, minRangeBytes });
      }
      // Without skip-bad the first malformed row fails the read, at its line of the file.
      await expectSameAsOneThread(file, 3, { asOf: AS_OF, minRangeBytes });
    }
  });

  it('raises the failure of a later range at its line of the file', async () => {
    const good = (i: number): string => `u${i % 7},t${i % 11},${T0 + i * 1000},play,1000,200000,a1,c1\n`;
    const rows = Array.from({ length: 4000 }, (_, i) => good(i));
    rows[3500] = 'u1,t1\n';
    const file = tmp.write('late-failure.csv', HEADER + rows.join(''));
    const err = (await readEvents(file, { asOf: AS_OF, readThreads: 4, minRangeBytes: 4096 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`${file}:3502: expected 8 fields, found 2`);
    await expectSameAsOneThread(file, 4, { asOf: AS_OF, minRangeBytes: 4096 });
  });

  it('reads on from the row before when a cut falls inside a quoted field', async () => {
    const good = (i: number): string => `u${i % 7},t${i % 11},${T0 + i * 1000},play,1000,200000,a1,c1\n`;
    const before = Array.from({ length: 500 }, (_, i) => good(i)).join('');
    // A quoted context of many lines around the middle of the file, whose lines look like rows.
    const quoted = `u9,t9,${T0},play,1,2,a9,"${Array.from({ length: 300 }, (_, i) => good(10_000 + i)).join('')}"\n`;
    const after = Array.from({ length: 500 }, (_, i) => good(600 + i)).join('');
    const file = tmp.write('quoted-cut.csv', HEADER + before + quoted + after);
    const size = HEADER.length + before.length + quoted.length + after.length;
    const cuts = await planCuts(file, HEADER.length, size, 2);
    expect(cuts[0]).toBeGreaterThan(HEADER.length + before.length);
    expect(cuts[0]).toBeLessThan(HEADER.length + before.length + quoted.length);
    for (const skipBad of [true, false]) await expectSameAsOneThread(file, 2, { asOf: AS_OF, skipBad, minRangeBytes: 4096 });
    const { log } = await readEvents(file, { asOf: AS_OF, readThreads: 2, minRangeBytes: 4096 });
    expect(log.length).toBe(1001);
  });

  it('reads on from the row before when a later range detects another timestamp format', async () => {
    const row = (i: number, ts: string): string => `u${i % 5},t${i % 9},${ts},play,1000,200000,a1,c1\n`;
    const epoch = Array.from({ length: 1000 }, (_, i) => row(i, String(T0 + i * 1000))).join('');
    const iso = Array.from({ length: 1000 }, (_, i) => row(i, new Date(T0 + i * 1000).toISOString())).join('');
    const file = tmp.write('two-formats.csv', HEADER + epoch + iso);
    await expectSameAsOneThread(file, 2, { asOf: AS_OF, minRangeBytes: 4096 });
    const { report } = await readEvents(file, { asOf: AS_OF, readThreads: 2, minRangeBytes: 4096 });
    expect(report.timestampFormat).toBe('epoch_ms');
    expect(report.validation.bad_timestamp).toBe(1000);
  });

  it('reads a range on the calling thread when its thread fails or ends', async () => {
    // Rows without quoted line ends, so every cut is where a row starts and only the thread fails.
    const rows = Array.from({ length: 4000 }, (_, i) => `u${i % 13},t${i % 17},${T0 + (i % 900) * 1000},${KINDS[i % KINDS.length]},1000,200000,a${i % 5},c${i % 3}\n`);
    rows[2900] = 'u1,t1\n';
    const file = tmp.write('thread-fails.csv', HEADER + rows.join(''));
    const before = process.env.MIXTAPE_TEST_FAULT;
    try {
      for (const mode of ['throw', 'exit']) {
        process.env.MIXTAPE_TEST_FAULT = JSON.stringify({ stage: 'read', shard: 1, mode });
        await expectSameAsOneThread(file, 4, { asOf: AS_OF, skipBad: true, minRangeBytes: 8192 });
        await expectSameAsOneThread(file, 4, { asOf: AS_OF, minRangeBytes: 8192 });
      }
    } finally {
      if (before === undefined) delete process.env.MIXTAPE_TEST_FAULT;
      else process.env.MIXTAPE_TEST_FAULT = before;
    }
  });

  it('pseudonymises the ids of every range, and splits each part of a directory', async () => {
    const bytes = randomEventFile(7, 3000);
    const file = tmp.write('pseudonyms.csv', bytes);
    const pseudonymize = (id: string): string => `p-${id.length % 3}-${id}`;
    await expectSameAsOneThread(file, 3, { asOf: AS_OF, skipBad: true, minRangeBytes: 8192, pseudonymize });
    const dir = tmp.path('parts');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'part-0.csv'), bytes);
    writeFileSync(path.join(dir, 'part-1.csv'), randomEventFile(8, 2000));
    await expectSameAsOneThread(dir, 3, { asOf: AS_OF, skipBad: true, minRangeBytes: 8192 });
  });

  it('keeps the columns in shared memory when asked, and reports progress to the whole file', async () => {
    const bytes = randomEventFile(9, 3000);
    const file = tmp.write('shared.csv', bytes);
    let done = 0;
    const { log } = await readEvents(file, {
      asOf: AS_OF,
      skipBad: true,
      readThreads: 3,
      minRangeBytes: 8192,
      sharedColumns: true,
      onProgress: (p) => {
        done = Math.max(done, p.done);
      },
    });
    expect(log.user.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(log.timestamp.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(done).toBeGreaterThanOrEqual(bytes.length - 1);
  });

  it('cuts right after line ends, in order, and refuses a thread count that is not a whole number', async () => {
    const file = tmp.write('cuts.csv', `${HEADER}${'u1,t1,1,play,1,2,a,c\n'.repeat(1000)}`);
    const size = HEADER.length + 21 * 1000;
    const cuts = await planCuts(file, HEADER.length, size, 4);
    expect(cuts).toHaveLength(3);
    for (const c of cuts) expect((c - HEADER.length) % 21).toBe(0);
    expect([...cuts].sort((a, b) => a - b)).toEqual(cuts);
    await expect(readEvents(file, { readThreads: 1.5 })).rejects.toThrow(/readThreads must be an integer/);
    // The commands' --read-threads reaches the read.
    expect(eventColumnOptions({ readThreads: 3 })).toEqual({ readThreads: 3 });
    // Strict reads stay on one thread (they fail at the first violating row as it comes).
    await expectSameAsOneThread(file, 4, { strict: true, minRangeBytes: 1024 });
  });

  it('reads counts files in ranges with the result of a read on one thread', async () => {
    const r = mulberry32(21);
    const pick = (n: number): number => Math.floor(r() * n);
    const out: Buffer[] = [Buffer.from('user_id,item_id,weight\n')];
    for (let i = 0; i < 6000; i++) {
      const u = pick(80) === 0 ? `"ü${pick(30)},\nx"` : `u${pick(400)}`;
      const trouble = pick(30);
      if (trouble === 0) out.push(Buffer.from(`${u},i${pick(90)}\n`)); // too few fields
      else if (trouble === 1) out.push(Buffer.from(`,i${pick(90)},3\n`)); // missing_id
      else if (trouble === 2) out.push(Buffer.from(`${u},i${pick(90)},0\n`)); // zero_weight
      else if (trouble === 3 && i > 4000) out.push(Buffer.from(`${u},i${pick(90)},-2\n`)); // bad_weight, only in later ranges
      else if (trouble === 4) out.push(Buffer.from(`${u},i${pick(90)},lots\n`)); // not a number
      else if (trouble === 5) out.push(Buffer.from('u'), Buffer.from([0xff]), Buffer.from(`,i1,1\n`)); // invalid UTF-8
      else out.push(Buffer.from(`${u},i${pick(90)},${1 + pick(50)}\n`));
    }
    const bytes = Buffer.concat(out);
    const file = tmp.write('counts.csv', bytes);
    const expectSame = async (opts: ReadCountsOptions, threads: number): Promise<void> => {
      const one = await readCounts(file, { ...opts, readThreads: 1 }).catch((err: unknown) => err as Error);
      const split = await readCounts(file, { ...opts, readThreads: threads, minRangeBytes: Math.floor(bytes.length / 5) }).catch((err: unknown) => err as Error);
      if (one instanceof Error) {
        expect((split as Error).message).toBe(one.message);
        return;
      }
      const s = split as Exclude<typeof split, Error>;
      expect(withoutTime(s.report)).toEqual(withoutTime(one.report));
      expect([...s.users.ids]).toEqual([...one.users.ids]);
      expect([...s.items.ids]).toEqual([...one.items.ids]);
      expect(Array.from(s.user)).toEqual(Array.from(one.user));
      expect(Array.from(s.item)).toEqual(Array.from(one.item));
      expect(Array.from(s.weight)).toEqual(Array.from(one.weight));
    };
    for (const threads of [2, 3, 5]) await expectSame({ skipBad: true }, threads);
    await expectSame({ skipBad: true, pseudonymize: (id) => `p${id.length}-${id}` }, 3);
    // Without skip-bad the first unusable row fails the read, at its line of the file.
    await expectSame({}, 4);
  });
});
