import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestError, readCounts, readEventRecords, readEvents, type EventRecord } from '../../src/data/index.js';
import { estimateTrainingMemory } from '../../src/util/memory-estimate.js';
import { EVENT_CODE, type EventLog } from '../../src/types.js';
import { TempFiles, lines } from './temp-files.js';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';

const tmp = new TempFiles();
afterAll(() => tmp.remove());

const AS_OF = Date.UTC(2024, 0, 1);
const T = Date.UTC(2023, 5, 1, 12);
const HEADER = 'user_id,track_id,timestamp,event,ms_played,track_duration_ms';

/** One crafted row per rule (line numbers in comments), plus rows that must be kept. */
const RULES_FILE = lines(
  HEADER,
  `u1,t1,${T},play,1000,200000`, // 2 kept
  `u1,t1,${T},play,1000,200000`, // 3 duplicate_event
  `,t2,${T},play,1,`, // 4 missing_id
  `u2,,${T},play,1,`, // 5 missing_id
  `u2,t2,yesterday,play,1,`, // 6 bad_timestamp
  `u2,t2,${AS_OF + 1},play,1,`, // 7 future_timestamp
  `u2,t2,${Date.UTC(1990, 0, 1)},play,1,`, // 8 ancient_timestamp
  `u2,t2,${T},play,-5,`, // 9 negative_duration
  `u2,t2,${T + 1},play,1000,-1`, // 10 negative_duration
  `u2,t3,${T + 2},play,300000,200000`, // 11 overlong_play
  `u2,t3,${T + 3},play,204000,200000`, // 12 kept: within the 5 s tolerance
  `u3,t4,${T + 4},dance,,`, // 13 kept as other
  `u3,t4,${T + 5},dance,,`, // 14 kept as other
  `u3,t4,${T + 6},Like,,`, // 15 kept
  `u4,t5,${T},play,1000,200000`, // 16 kept
  `u1,t1,${T},skip,1000,200000`, // 17 kept: another kind than line 2
);

describe('readEvents validation rules', () => {
  it('drops and counts each rule exactly, keeping unknown kinds as other', async () => {
    const file = tmp.write('rules.csv', RULES_FILE);
    const { log, report } = await readEvents(file, { asOf: AS_OF });
    expect(report.validation).toEqual({
      malformed_row: 0,
      missing_id: 2,
      bad_timestamp: 1,
      future_timestamp: 1,
      ancient_timestamp: 1,
      too_old: 0,
      negative_duration: 2,
      overlong_play: 1,
      duplicate_event: 1,
      unknown_event_kind: 2,
    });
    expect(report.examples.missing_id).toEqual([`${file}:4`, `${file}:5`]);
    expect(report.examples.negative_duration).toEqual([`${file}:9`, `${file}:10`]);
    expect(report.examples.duplicate_event).toEqual([`${file}:3`]);
    expect(report.unknownKinds).toEqual({ dance: 2 });
    expect(report.rowsRead).toBe(16);
    expect(report.rowsKept).toBe(7);
    expect(report.timestampFormat).toBe('epoch_ms');
    expect(report.format).toBe('csv');
    expect(report.seconds).toBeGreaterThanOrEqual(0);
    expect(log.length).toBe(7);
    // Ids of dropped rows never enter the dictionaries (t2 only appears in dropped rows).
    expect(log.users.ids).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(log.tracks.ids).toEqual(['t1', 't3', 't4', 't5']);
    expect(Array.from(log.kind)).toEqual([
      EVENT_CODE.play,
      EVENT_CODE.play,
      EVENT_CODE.other,
      EVENT_CODE.other,
      EVENT_CODE.like,
      EVENT_CODE.play,
      EVENT_CODE.skip,
    ]);
    expect(Array.from(log.msPlayed.subarray(0, 2))).toEqual([1000, 204000]);
    expect(Number.isNaN(log.msPlayed[2])).toBe(true);
    expect(log.durationMs && Array.from(log.durationMs.subarray(0, 2))).toEqual([200000, 200000]);
    expect(Array.from(log.timestamp)).toEqual([T, T + 3, T + 4, T + 5, T + 6, T, T]);
  });

  it('strict mode fails on the first violation naming file:line and the rule', async () => {
    const file = tmp.write('strict.csv', RULES_FILE);
    await expect(readEvents(file, { asOf: AS_OF, strict: true })).rejects.toThrow(
      `${file}:3: duplicate_event: same user, track, timestamp and kind as an earlier row`,
    );
    const future = tmp.write('strict-future.csv', lines(HEADER, `u1,t1,${T},play,1,`, `u1,t1,${AS_OF + 1000},play,1,`));
    const err = await readEvents(future, { asOf: AS_OF, strict: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).message).toBe(
      `${future}:3: future_timestamp: 2024-01-01T00:00:01.000Z is after asOf 2024-01-01T00:00:00.000Z`,
    );
    expect((err as IngestError).rule).toBe('future_timestamp');
    expect((err as IngestError).line).toBe(3);
  });

  it('fails on a malformed row by default and counts it with skipBad', async () => {
    const file = tmp.write(
      'malformed.csv',
      lines(HEADER, `u1,t1,${T},play,1000,`, `u1,t2,${T},play,abc,`, `u1,t3,${T},play`, `u1,t4,${T},play,5,`, `u1,t5,${T},play,1,1e999`),
    );
    await expect(readEvents(file)).rejects.toThrow(`${file}:3: column 'ms_played': "abc" is not a number`);
    const { log, report } = await readEvents(file, { skipBad: true });
    expect(report.validation.malformed_row).toBe(3);
    expect(report.examples.malformed_row).toEqual([`${file}:3`, `${file}:4`, `${file}:6`]);
    expect(log.tracks.ids).toEqual(['t1', 't4']);
    // skipBad governs malformed rows; strict only governs the validation rules.
    await expect(readEvents(file, { strict: true, skipBad: true })).resolves.toBeDefined();
  });

  it('rejects invalid UTF-8 in an id column naming file:line', async () => {
    const head = Buffer.from(lines(HEADER, `u1,t1,${T},play,1,`));
    const bad = Buffer.concat([head, Buffer.from('u'), Buffer.from([0xff, 0xfe]), Buffer.from(`,t2,${T},play,1,\n`)]);
    const file = tmp.write('utf8.csv', bad);
    await expect(readEvents(file)).rejects.toThrow(`${file}:3: column 'user_id': invalid UTF-8`);
    const { report } = await readEvents(file, { skipBad: true });
    expect(report.validation.malformed_row).toBe(1);
  });

  it('drops events older than the retention window', async () => {
    const day = 86_400_000;
    const file = tmp.write(
      'retention.csv',
      lines(HEADER, `u1,t1,${AS_OF - 40 * day},play,1,`, `u1,t2,${AS_OF - 10 * day},play,1,`, `u2,t3,${AS_OF - 31 * day},play,1,`),
    );
    const { log, report } = await readEvents(file, { asOf: AS_OF, maxAgeMs: 30 * day, strict: true });
    expect(report.validation.too_old).toBe(2);
    expect(log.length).toBe(1);
    expect(log.users.ids).toEqual(['u1']);
    expect(log.tracks.ids).toEqual(['t2']);
  });

  it('uses minEpochMs and durationToleranceMs when given', async () => {
    const file = tmp.write('tolerance.csv', lines(HEADER, `u1,t1,${T},play,201000,200000`, `u1,t2,${Date.UTC(2010, 0, 1)},play,1,`));
    const { report } = await readEvents(file, { durationToleranceMs: 0, minEpochMs: Date.UTC(2015, 0, 1) });
    expect(report.validation.overlong_play).toBe(1);
    expect(report.validation.ancient_timestamp).toBe(1);
  });
});

describe('readEvents columns and formats', () => {
  it('detects ISO-8601, epoch seconds and epoch milliseconds per file', async () => {
    const iso = tmp.write(
      'iso.csv',
      lines('user_id,track_id,timestamp', 'u,a,2023-06-01T12:00:00Z', 'u,b,2023-06-01 14:00:01.5+02:00', 'u,c,2023-06-01', 'u,d,1685620800'),
    );
    const r1 = await readEvents(iso);
    expect(r1.report.timestampFormat).toBe('iso8601');
    expect(Array.from(r1.log.timestamp)).toEqual([Date.UTC(2023, 5, 1, 12), Date.UTC(2023, 5, 1, 12, 0, 1, 500), Date.UTC(2023, 5, 1)]);
    expect(r1.report.validation.bad_timestamp).toBe(1); // the epoch number in an ISO file

    const secs = tmp.write('secs.csv', lines('user_id,track_id,timestamp', 'u,a,oops', 'u,b,1685620800', 'u,c,1685620801.25'));
    const r2 = await readEvents(secs);
    expect(r2.report.timestampFormat).toBe('epoch_s');
    expect(Array.from(r2.log.timestamp)).toEqual([1685620800000, 1685620801250]);
    expect(r2.report.validation.bad_timestamp).toBe(1);

    const millis = tmp.write('ms.csv', lines('user_id,track_id,timestamp', 'u,a,1685620800123'));
    const r3 = await readEvents(millis);
    expect(r3.report.timestampFormat).toBe('epoch_ms');
    expect(r3.log.timestamp[0]).toBe(1685620800123);
  });

  it('treats every row as a play when there is no event column, and reads optional columns', async () => {
    const file = tmp.write(
      'plays.tsv',
      lines('user_id\ttrack_id\ttimestamp\tartist_id\tcontext', `u1\tt1\t${T}\tar1\tradio`, `u2\tt2\t${T}\t\t`, `u1\tt3\t${T}\tar1\tplaylist`),
    );
    const { log, report } = await readEvents(file);
    expect(report.delimiter).toBe('\t');
    expect(Array.from(log.kind)).toEqual([0, 0, 0]);
    expect(log.msPlayed.every((v) => Number.isNaN(v))).toBe(true);
    expect(log.durationMs).toBeUndefined();
    expect(log.artists?.ids).toEqual(['ar1']);
    expect(Array.from(log.artist ?? [])).toEqual([0, -1, 0]);
    expect(log.contexts?.ids).toEqual(['radio', 'playlist']);
    expect(Array.from(log.context ?? [])).toEqual([0, -1, 1]);
  });

  it('takes column names from the options and names a missing column', async () => {
    const file = tmp.write('custom.csv', lines('uid;song;ts;type;played', `a;x;${T};like;5`, `b;y;${T}; Share ;6`));
    const { log } = await readEvents(file, { userCol: 'uid', itemCol: 'song', timeCol: 'ts', eventCol: 'type', msPlayedCol: 'played' });
    expect(log.users.ids).toEqual(['a', 'b']);
    expect(Array.from(log.kind)).toEqual([EVENT_CODE.like, EVENT_CODE.share]);
    expect(Array.from(log.msPlayed)).toEqual([5, 6]);
    await expect(readEvents(file, { userCol: 'uid', itemCol: 'song' })).rejects.toThrow(
      `${file}: missing column 'timestamp' (columns: uid, song, ts, type, played)`,
    );
    await expect(readEvents(file, { userCol: 'uid', itemCol: 'song', timeCol: 'ts', eventCol: 'kind' })).rejects.toThrow(
      /missing column 'kind'/,
    );
  });

  it('maps the log\'s own names of event kinds onto the engine\'s with aliases, in CSV and Parquet alike', async () => {
    const rows = ['stream', 'Skipped', ' THUMBS_DOWN ', 'like', 'pause'];
    const csv = tmp.write('aliases.csv', lines('user_id,track_id,timestamp,event', ...rows.map((k, i) => `u1,t${i},${T + i},${k}`)));
    const aliases = { stream: 'play', skipped: 'skip', thumbs_down: 'dislike' } as const;
    const expected = [EVENT_CODE.play, EVENT_CODE.skip, EVENT_CODE.dislike, EVENT_CODE.like, EVENT_CODE.other];
    const mapped = await readEvents(csv, { eventAliases: aliases });
    expect(Array.from(mapped.log.kind)).toEqual(expected);
    expect(mapped.report.unknownKinds).toEqual({ pause: 1 });
    // Without aliases the log's names are unknown kinds, kept as other and named in the report.
    const plain = await readEvents(csv);
    expect(Array.from(plain.log.kind)).toEqual([EVENT_CODE.other, EVENT_CODE.other, EVENT_CODE.other, EVENT_CODE.like, EVENT_CODE.other]);
    expect(plain.report.unknownKinds).toEqual({ stream: 1, Skipped: 1, ' THUMBS_DOWN ': 1, pause: 1 });
    // Parquet: plain strings and a dictionary-encoded column go through the same names.
    for (const dictionary of [false, true]) {
      const kinds = dictionary ? arrow.vectorFromArray(rows, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())) : arrow.vectorFromArray(rows, new arrow.Utf8());
      const table = new arrow.Table({
        user_id: arrow.vectorFromArray(rows.map(() => 'u1'), new arrow.Utf8()),
        track_id: arrow.vectorFromArray(rows.map((_, i) => `t${i}`), new arrow.Utf8()),
        timestamp: arrow.vectorFromArray(rows.map((_, i) => T + i), new arrow.Float64()),
        event: kinds,
      });
      const pq = tmp.write(`aliases-${dictionary}.parquet`, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'))));
      expect(Array.from((await readEvents(pq, { eventAliases: aliases })).log.kind), `dictionary ${dictionary}`).toEqual(expected);
    }
    await expect(readEvents(csv, { eventAliases: { stream: 'listen' as 'play' } })).rejects.toThrow(/event alias 'stream': 'listen' is not an event kind/);
    await expect(readEvents(csv, { eventAliases: { 'écoute': 'play' } })).rejects.toThrow(/printable ASCII/);
  });

  it('reads events given as JS objects like the same rows from a file', async () => {
    const csvRows = RULES_FILE.trim().split('\n').slice(1).map((l) => l.split(','));
    const num = (v: string): number | undefined => (v === '' ? undefined : Number(v));
    const records: EventRecord[] = csvRows.map(([userId, trackId, ts, event, ms, dur]) => ({
      userId,
      trackId,
      timestamp: /^\d+$/.test(ts) ? Number(ts) : ts,
      event,
      msPlayed: num(ms),
      durationMs: num(dur),
    }));
    const file = await readEvents(tmp.write('rules-for-records.csv', RULES_FILE), { asOf: AS_OF });
    // An async source (a queue consumer) reads the same as an array.
    async function* queue(): AsyncGenerator<EventRecord> {
      yield* records;
    }
    for (const source of [records, queue()]) {
      const { log, report } = await readEventRecords(source, { asOf: AS_OF });
      const spelled = (l: EventLog) => ({ ...l, users: l.users.ids, tracks: l.tracks.ids });
      expect(spelled(log)).toEqual(spelled(file.log));
      expect(report.validation).toEqual(file.report.validation);
      expect(report.unknownKinds).toEqual(file.report.unknownKinds);
      // Rows are numbered from 1 over the records (the file's line 3 is record 2).
      expect(report.examples.duplicate_event).toEqual(['records:row 2']);
      expect(report.format).toBe('records');
    }
    // ISO strings and Dates, aliases and pseudonyms as for files; junk fails naming the record.
    const { log } = await readEventRecords(
      [
        { userId: 'a', trackId: 'x', timestamp: '2023-06-01T12:00:00Z', event: 'stream', artistId: 'ar1' },
        { userId: 'a', trackId: 'y', timestamp: new Date(T), event: 'Skip', msPlayed: 3000, context: 'car' },
      ],
      { eventAliases: { stream: 'play' }, pseudonymize: (id) => `p-${id}` },
    );
    expect(Array.from(log.timestamp)).toEqual([T, T]);
    expect(Array.from(log.kind)).toEqual([EVENT_CODE.play, EVENT_CODE.skip]);
    expect(log.users.ids).toEqual(['p-a']);
    expect(log.artists?.ids).toEqual(['ar1']);
    expect(Array.from(log.artist ?? [])).toEqual([0, -1]);
    expect(log.contexts?.ids).toEqual(['car']);
    const junk = [{ userId: 'a', trackId: 'x', timestamp: T }, { userId: 7, trackId: 'x', timestamp: T }] as unknown as EventRecord[];
    await expect(readEventRecords(junk, { source: 'feedback' })).rejects.toThrow('feedback:row 2: userId and trackId must be strings, got number and string');
    await expect(readEventRecords([{ userId: 'a', trackId: 'x', timestamp: T, msPlayed: Number.NaN }])).rejects.toThrow('records:row 1: msPlayed must be a finite number');
    expect((await readEventRecords(junk, { skipBad: true })).report.validation.malformed_row).toBe(1);
  });

  it('reads a large CSV (ids looked up in blocks across buffer refills) exactly as the same records row by row', async () => {
    // 50,000 rows (over twice the 1 MiB buffer, so a read lands on the bytes of rows still held), ids new and repeated within
    // blocks, every optional column, unknown kinds, duplicates and rule-breaking rows mixed in.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const kinds = ['play', 'skip', 'like', 'dislike', 'hum'];
    const records: EventRecord[] = [];
    for (let i = 0; i < 50_000; i++) {
      const r = rand(100);
      const prev = records[records.length - 1];
      if (r === 0 && prev) {
        records.push({ ...prev }); // a duplicate
        continue;
      }
      records.push({
        userId: r === 1 ? '' : `user-${rand(i < 25_000 ? 3000 : 6000)}`,
        trackId: `t${rand(1500)}`,
        timestamp: r === 2 ? AS_OF + 1000 : T + rand(1e9),
        event: kinds[rand(kinds.length)],
        msPlayed: r === 3 ? -5 : rand(200_000),
        durationMs: 200_000,
        artistId: rand(5) === 0 ? undefined : `a${rand(400)}`,
        context: rand(3) === 0 ? undefined : `c${rand(12)}`,
      });
    }
    const cell = (v: unknown): string => (v === undefined ? '' : String(v));
    const text = lines(
      'user_id,track_id,timestamp,event,ms_played,track_duration_ms,artist_id,context',
      ...records.map((e) => [e.userId, e.trackId, e.timestamp, e.event, e.msPlayed, e.durationMs, e.artistId, e.context].map(cell).join(',')),
    );
    expect(text.length).toBeGreaterThan(2.2 * 2 ** 20);
    const file = await readEvents(tmp.write('blocks.csv', text), { asOf: AS_OF });
    const rows = await readEventRecords(records, { asOf: AS_OF });
    const spelled = (l: EventLog) => ({ ...l, users: l.users.ids, tracks: l.tracks.ids, artists: l.artists?.ids, contexts: l.contexts?.ids });
    expect(spelled(file.log)).toEqual(spelled(rows.log));
    expect(file.report.validation).toEqual(rows.report.validation);
    expect(file.report.unknownKinds).toEqual(rows.report.unknownKinds);
    expect(file.report.rowsKept).toBe(rows.report.rowsKept);
    for (const rule of ['duplicate_event', 'missing_id', 'future_timestamp', 'negative_duration']) {
      expect(file.report.validation[rule]).toBeGreaterThan(100);
      // Records are numbered from 1, file lines from 2 (after the header).
      expect(file.report.examples[rule]).toEqual(rows.report.examples[rule].map((e) => e.replace(/^records:row (\d+)$/, (_, n) => `${file.report.file}:${Number(n) + 1}`)));
    }
  });

  it('reports rows in file order when a held row and the next one both break rules', async () => {
    // Line 3 is a duplicate (found when its block is stored), line 4 misses an id (found at once).
    const dup = tmp.write('order.csv', lines(HEADER, `u1,t1,${T},play,1,`, `u1,t1,${T},play,1,`, `,t2,${T},play,1,`));
    await expect(readEvents(dup, { strict: true })).rejects.toThrow(`${dup}:3: duplicate_event`);
    // Line 2 has invalid UTF-8 in its id (found when stored), line 3 a bad number (found at once).
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\nu`), Buffer.from([0xff]), Buffer.from(`,t1,${T},play,1,\nu2,t2,${T},play,x,\nu3,t3,${T},play,1,\n`)]);
    const bad = tmp.write('order-utf8.csv', bytes);
    await expect(readEvents(bad)).rejects.toThrow(`${bad}:2: column 'user_id': invalid UTF-8`);
    const { log, report } = await readEvents(bad, { skipBad: true });
    expect(report.examples.malformed_row).toEqual([`${bad}:2`, `${bad}:3`]);
    expect(log.users.ids).toEqual(['u3']);
  });

  it('pseudonymizes user ids before they reach the dictionary', async () => {
    const file = tmp.write('pii.csv', lines('user_id,track_id,timestamp', `alice@example.com,t1,${T}`, `bob,t2,${T}`, `alice@example.com,t3,${T}`));
    const hash = (id: string): string => createHash('sha256').update(id).digest('hex').slice(0, 12);
    const { log } = await readEvents(file, { pseudonymize: hash });
    expect(log.users.ids).toEqual([hash('alice@example.com'), hash('bob')]);
    expect(log.users.ids.some((id) => id.includes('alice') || id === 'bob')).toBe(false);
    expect(log.users.get('alice@example.com')).toBeUndefined();
    expect(Array.from(log.user)).toEqual([0, 1, 0]);
  });

  it('reads gzip-compressed text as the same rows, whatever the name, with lines numbered as in the plain file', async () => {
    const plain = await readEvents(tmp.write('rules.csv', RULES_FILE), { asOf: AS_OF, skipBad: true });
    // Small output chunks of gzip split rows across reads.
    const gz = tmp.write('rules.csv.gz', gzipSync(RULES_FILE, { level: 1 }));
    const zipped = await readEvents(gz, { asOf: AS_OF, skipBad: true });
    expect(zipped.log).toEqual(plain.log);
    expect(zipped.report.validation).toEqual(plain.report.validation);
    expect(zipped.report.examples.duplicate_event).toEqual([`${gz}:3`]);
    const unnamed = tmp.write('rules-gzip.txt', gzipSync(RULES_FILE));
    expect((await readEvents(unnamed, { asOf: AS_OF, skipBad: true })).log).toEqual(plain.log);
    const counts = tmp.write('counts.tsv.gz', gzipSync(lines('user_id\titem_id\tweight', 'a\tx\t2', 'b\ty\t3')));
    expect(Array.from((await readCounts(counts)).weight)).toEqual([2, 3]);
    // A cut-off download fails naming the file, not with a partial log.
    const cut = gzipSync(RULES_FILE);
    await expect(readEvents(tmp.write('cut.csv.gz', cut.subarray(0, cut.length - 12)), { skipBad: true })).rejects.toThrow(/cut\.csv\.gz: gzip: unexpected end of file/);
    // The memory pre-flight counts the uncompressed rows: exactly for a file within its sample,
    // by the compression ratio of the sample beyond it.
    const rowsOf = (n: number): string => [HEADER, ...Array.from({ length: n }, (_, i) => `u${i % 97},t${(i * 7919) % 100003},${T + i},play,${1000 + (i % 5000)},200000`)].join('\n') + '\n';
    expect((await estimateTrainingMemory(tmp.write('some.csv.gz', gzipSync(rowsOf(20000))), 'events', 8)).rows).toBe(20000);
    const big = (await estimateTrainingMemory(tmp.write('many.csv.gz', gzipSync(rowsOf(200000))), 'events', 8)).rows;
    expect(big).toBeGreaterThan(0.8 * 200000);
    expect(big).toBeLessThan(1.25 * 200000);
  });

  it('refuses other compressions and binary formats given as text, saying what the file is', async () => {
    const cases: [string, number[], RegExp][] = [
      ['a.csv.zst', [0x28, 0xb5, 0x2f, 0xfd, 0, 0], /zstd-compressed: decompress it first/],
      ['a.csv.bz2', [0x42, 0x5a, 0x68, 0x39], /bzip2-compressed/],
      ['a.csv.xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], /xz-compressed/],
      ['a.zip', [0x50, 0x4b, 0x03, 0x04], /a zip archive/],
      ['parquet.csv', [0x50, 0x41, 0x52, 0x31, 0], /a Parquet file: give it a \.parquet name/],
      ['arrow.csv', [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31, 0, 0], /an Arrow IPC file: give it an \.arrow name/],
    ];
    for (const [name, bytes, message] of cases) {
      const file = tmp.write(name, Uint8Array.from([...bytes, 1, 2, 3]));
      await expect(readEvents(file), name).rejects.toThrow(message);
      await expect(readEvents(file), name).rejects.toThrow(`${file}: cannot read as text: the file is`);
    }
  });

  it('rejects empty and header-only files with clear errors unless allowEmpty', async () => {
    const empty = tmp.write('empty.csv', '');
    const headerOnly = tmp.write('header.csv', 'user_id,track_id,timestamp\n');
    await expect(readEvents(empty)).rejects.toThrow(`${empty}: empty`);
    await expect(readEvents(headerOnly)).rejects.toThrow(`${headerOnly}: no data rows`);
    const { log } = await readEvents(headerOnly, { allowEmpty: true });
    expect(log.length).toBe(0);
  });

  it('refuses a header that names a column twice, in events, counts and Arrow files alike', async () => {
    const twice = tmp.write('twice.csv', lines('user_id,track_id,timestamp,user_id', 'a,x,2024-01-01,b'));
    await expect(readEvents(twice)).rejects.toThrow(`${twice}: column 'user_id' is ambiguous: the header has 'user_id' (column 1), 'user_id' (column 4); rename or drop all but one`);
    // No exact name, and two that differ from it only in case.
    const cased = tmp.write('cased.csv', lines('User_ID,USER_ID,track_id,timestamp', 'a,b,x,2024-01-01'));
    await expect(readEvents(cased)).rejects.toThrow(`column 'user_id' is ambiguous: the header has 'User_ID' (column 1), 'USER_ID' (column 2)`);
    // An exact name beside a case variant is not ambiguous: the exact one is read.
    const exact = tmp.write('exact.csv', lines('User_ID,user_id,track_id,timestamp', 'a,b,x,2024-01-01'));
    expect((await readEvents(exact)).log.users.ids).toEqual(['b']);
    const counts = tmp.write('twice-counts.csv', lines('user_id,item_id,weight,weight', 'a,x,1,2'));
    await expect(readCounts(counts)).rejects.toThrow(`column 'weight' is ambiguous: the header has 'weight' (column 3), 'weight' (column 4)`);
    const fields = [new arrow.Field('user_id', new arrow.Utf8()), new arrow.Field('item_id', new arrow.Utf8()), new arrow.Field('Item_Id', new arrow.Utf8()), new arrow.Field('ITEM_ID', new arrow.Utf8()), new arrow.Field('weight', new arrow.Float64())];
    const data = arrow.makeData({ type: new arrow.Struct(fields), length: 1, nullCount: 0, children: [...['a', 'x', 'y', 'z'].map((v) => arrow.vectorFromArray([v], new arrow.Utf8()).data[0]), arrow.vectorFromArray([1], new arrow.Float64()).data[0]] });
    const table = new arrow.Table(new arrow.RecordBatch(new arrow.Schema(fields), data));
    // Exact 'item_id' is there: read; asked for 'Weight' case-insensitively: one match, read.
    expect((await readCounts(tmp.write('cols.arrow', arrow.tableToIPC(table, 'file')), { weightCol: 'Weight' })).items.ids).toEqual(['x']);
    await expect(readCounts(tmp.write('cols2.arrow', arrow.tableToIPC(table, 'file')), { itemCol: 'item_ID' })).rejects.toThrow(`column 'item_ID' is ambiguous: the header has 'item_id' (column 2), 'Item_Id' (column 3), 'ITEM_ID' (column 4)`);
  });
});
