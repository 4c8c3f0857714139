import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { readCatalog } from '../../src/data/catalog.js';
import { parseListCell, parsePythonStringList } from '../../src/data/catalog-lists.js';
import { parseReleaseDate } from '../../src/data/catalog-dates.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mixtape-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const HEADER = 'track_id,artist_id,title,genres,tags,release_date,duration_ms,energy,tempo,url';

describe('readCatalog', () => {
  it('reads quoted fields, lists and dates, and imputes missing numbers by artist mean then median', async () => {
    const file = write(
      'tracks.csv',
      [
        HEADER,
        't1,a1,"Hello, World",pop|Dance  Pop,"summer|summer|chill",2020-05-01,200000,0.5,120,http://x',
        't2,a1,Second,pop,,2019,,0.7,,http://y',
        't3,a2,"Say ""hi""",rock,loud,2018-03,180000,,100,http://z',
        't4,a3,Alone,,,,220000,NA,,http://w',
        't1,a1,dup,pop,,2020-05-01,1,1,1,http://dup',
      ].join('\n'),
    );
    const c = await readCatalog(file);
    expect(c.tracks.ids).toEqual(['t1', 't2', 't3', 't4']);
    expect(c.titles).toEqual(['Hello, World', 'Second', 'Say "hi"', 'Alone']);
    expect(c.report.duplicateRows).toBe(1);
    expect(c.report.ignoredColumns).toEqual(['url']);
    expect([...c.trackArtist]).toEqual([0, 0, 1, 2]);
    // Genres: 'dance pop' normalised, vocabulary in first-seen order.
    expect(c.genres.vocab.ids).toEqual(['pop', 'dance pop', 'rock']);
    expect([...c.genres.indptr]).toEqual([0, 2, 3, 4, 4]);
    expect([...c.tags.counts.subarray(0, 2)]).toEqual([2, 1]); // summer ×2, chill ×1
    expect(c.releaseMs[0]).toBe(Date.UTC(2020, 4, 1));
    expect(c.releaseMs[1]).toBe(Date.UTC(2019, 0, 1));
    expect(c.releaseMs[2]).toBe(Date.UTC(2018, 2, 1));
    expect(Number.isNaN(c.releaseMs[3])).toBe(true);
    expect(c.report.releaseDateMissing).toBe(1);

    expect(c.featureNames).toEqual(['duration_ms', 'energy', 'tempo']);
    const F = 3;
    const at = (t: number, f: number): number => c.features[t * F + f];
    // duration_ms: t2 missing → mean of a1's other track (200000).
    expect(at(1, 0)).toBe(200000);
    // energy: t3 (a2, no other tracks) and t4 missing → median of {0.5, 0.7} = 0.6.
    expect(at(2, 1)).toBeCloseTo(0.6, 6);
    expect(at(3, 1)).toBeCloseTo(0.6, 6);
    // tempo: t2 → a1 mean 120; t4 → median {120, 100} = 110.
    expect(at(1, 2)).toBe(120);
    expect(at(3, 2)).toBe(110);
    expect(c.report.features).toEqual([
      { name: 'duration_ms', present: 3, inherited: 0, imputedArtistMean: 1, imputedMedian: 0, median: 200000 },
      { name: 'energy', present: 2, inherited: 0, imputedArtistMean: 0, imputedMedian: 2, median: expect.closeTo(0.6, 6) },
      { name: 'tempo', present: 2, inherited: 0, imputedArtistMean: 1, imputedMedian: 1, median: 110 },
    ]);
  });

  it('names file:line:column for junk in a numeric column', async () => {
    const file = write('junk.csv', [HEADER, 't1,a1,x,,,,200000,0.5,120,u', 't2,a1,y,,,,210000,0.6,121,u', 't3,a1,z,,,,220000,loud,122,u'].join('\n'));
    await expect(readCatalog(file)).rejects.toThrow(`${file}:4:8: column 'energy': "loud" is not a number`);
  });

  it('names file:line:column for a bad list literal, a bad date and an empty id', async () => {
    const lit = write('lit.csv', ['track_id,genres', `t1,"['pop', 'rock'"`, ''].join('\n'));
    await expect(readCatalog(lit)).rejects.toThrow(`${lit}:2:2: column 'genres'`);
    const date = write('date.csv', ['track_id,release_date', 't1,2020-13-45'].join('\n'));
    await expect(readCatalog(date)).rejects.toThrow(`${date}:2:2: column 'release_date': "2020-13-45" is not a date`);
    const empty = write('empty.csv', ['track_id,energy', 't1,1', ',2'].join('\n'));
    await expect(readCatalog(empty)).rejects.toThrow(`${empty}:3:1: empty track_id`);
    const none = write('none.csv', ['title,energy', 'x,1'].join('\n'));
    await expect(readCatalog(none)).rejects.toThrow(/track_id or an artist_id/);
  });

  it('lets tracks inherit a second, artist-level file (TSV with Python-literal lists, CRLF)', async () => {
    const tracks = write('t.csv', ['track_id,artist_id,energy', 't1,a1,0.4', 't2,a1,', 't3,a2,', 't4,a9,0.8'].join('\n'));
    const artists = write('a.tsv', ['artist_id\tname\tgenres\tfollowers\tenergy', "a1\tOne\t['dance pop', 'pop']\t100\t0.9", "a2\tTwo\t[]\t\t"].join('\r\n') + '\r\n');
    const c = await readCatalog(tracks, { artists });
    expect(c.genres.vocab.ids).toEqual(['dance pop', 'pop']);
    expect([...c.genres.indptr]).toEqual([0, 2, 4, 4, 4]);
    expect(c.artistNames).toEqual(['One', 'Two', '']);
    expect(c.report.tracksWithoutArtistMetadata).toBe(1);
    expect(c.featureNames).toEqual(['energy', 'followers']);
    // energy: t2 inherits a1's 0.9; t3 (a2 has none, no other tracks) → median of {0.4, 0.9, 0.8}.
    expect(c.features[1 * 2 + 0]).toBeCloseTo(0.9, 6);
    expect(c.features[2 * 2 + 0]).toBeCloseTo(0.8, 6);
    const energy = c.report.features[0];
    expect(energy).toMatchObject({ present: 2, inherited: 1, imputedArtistMean: 0, imputedMedian: 1 });
    const followers = c.report.features[1];
    expect(followers).toMatchObject({ present: 0, inherited: 2, imputedArtistMean: 0, imputedMedian: 2, median: 100 });
  });

  it('reads an artist-level catalog as one item per artist, or expands it to given tracks', async () => {
    const file = write('artists.csv', ['artist_id,name,tags,popularity', 'a1,One,rock|indie,50', 'a2,Two,jazz,', 'a1,Again,x,1'].join('\n'));
    const c = await readCatalog(file);
    expect(c.report.artistLevel).toBe(true);
    expect(c.tracks.ids).toEqual(['a1', 'a2']);
    expect(c.titles).toEqual(['One', 'Two']);
    expect(c.report.duplicateRows).toBe(1);
    expect(c.report.features[0]).toMatchObject({ name: 'popularity', present: 1, inherited: 0, imputedMedian: 1 });
    const expanded = await readCatalog(file, { trackArtists: { tracks: ['x', 'y', 'z'], artists: ['a2', 'a1', 'a1'] } });
    expect(expanded.tracks.ids).toEqual(['x', 'y', 'z']);
    expect(expanded.artists.ids).toEqual(['a2', 'a1']);
    expect([...expanded.tags.indptr]).toEqual([0, 1, 3, 5]);
    expect(expanded.report.features[0]).toMatchObject({ present: 0, inherited: 2, imputedArtistMean: 0, imputedMedian: 1 });
  });

  it('reads Parquet, locating junk by row', async () => {
    const table = arrow.tableFromArrays({
      track_id: ['t1', 't2', 't3'],
      artist_id: ['a', 'a', 'b'],
      genres: ['pop|rock', 'pop', null as unknown as string],
      energy: Float64Array.from([0.1, NaN, 0.3]),
      tempo: ['100', '110', 'fast'],
    });
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')));
    const file = path.join(dir, 'cat.parquet');
    writeFileSync(file, bytes);
    await expect(readCatalog(file)).rejects.toThrow(`${file}:row 3:5: column 'tempo': "fast" is not a number`);
    // Rows are numbered across row groups.
    const oneRowGroups = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(1).build();
    const grouped = path.join(dir, 'cat-groups.parquet');
    writeFileSync(grouped, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), oneRowGroups));
    await expect(readCatalog(grouped)).rejects.toThrow(`${grouped}:row 3:5: column 'tempo': "fast" is not a number`);
    const fixed = arrow.tableFromArrays({ track_id: ['t1', 't2', 't3'], artist_id: ['a', 'a', 'b'], genres: ['pop|rock', 'pop', 'jazz'], energy: Float64Array.from([0.1, NaN, 0.3]) });
    const wholeFile = path.join(dir, 'fixed.parquet');
    const groupsFile = path.join(dir, 'fixed-groups.parquet');
    writeFileSync(wholeFile, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(fixed, 'stream'))));
    writeFileSync(groupsFile, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(fixed, 'stream')), new pw.WriterPropertiesBuilder().setMaxRowGroupSize(2).build()));
    const [whole, groups] = [await readCatalog(wholeFile), await readCatalog(groupsFile)];
    expect(groups.tracks.ids).toEqual(whole.tracks.ids);
    expect(groups.report).toEqual({ ...whole.report, file: groupsFile });
    const ok = arrow.tableFromArrays({ track_id: ['t1', 't2'], energy: Float64Array.from([0.1, NaN]) });
    const okFile = path.join(dir, 'ok.parquet');
    writeFileSync(okFile, pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(ok, 'stream'))));
    const c = await readCatalog(okFile);
    expect(c.tracks.ids).toEqual(['t1', 't2']);
    expect(c.report.features[0]).toMatchObject({ present: 1, imputedMedian: 1 });
  });
});

describe('catalog cell parsers', () => {
  it('parses Python list literals with both quote kinds and escapes', () => {
    expect(parsePythonStringList(`['dance pop', "rock 'n' roll", 'it\\'s']`)).toEqual(['dance pop', "rock 'n' roll", "it's"]);
    expect(parsePythonStringList('[]')).toEqual([]);
    expect(() => parsePythonStringList("['a' 'b']")).toThrow(/expected ','/);
    expect(parseListCell(' Pop | |Rock ')).toEqual(['pop', 'rock']);
  });

  it('parses release dates at year, month and day precision and rejects impossible days', () => {
    expect(parseReleaseDate('1999')).toBe(Date.UTC(1999, 0, 1));
    expect(parseReleaseDate('1999-07')).toBe(Date.UTC(1999, 6, 1));
    expect(parseReleaseDate('1999-02-31')).toBeNaN();
    expect(parseReleaseDate('2001-02-03T04:05:06Z')).toBe(Date.UTC(2001, 1, 3, 4, 5, 6));
    expect(parseReleaseDate('1700000000')).toBe(1700000000000);
  });

  it('reads a directory of part files (CSV, gzip, Parquet) like the whole catalog, naming the part of a bad row', async () => {
    const rows = [
      't1,a1,One,pop|rock,chill,2020-05-01,200000,0.5,120,http://x',
      't2,a1,Two,pop,,2019,,0.7,,http://y',
      't3,a2,Three,rock,loud,2018-03,180000,,100,http://z',
      't4,a3,Four,jazz,,2021,220000,0.2,90,http://w',
    ];
    const whole = await readCatalog(write('whole-catalog.csv', [HEADER, ...rows].join('\n')));
    const parts = path.join(dir, 'catalog-parts');
    mkdirSync(parts);
    writeFileSync(path.join(parts, 'part-0.csv'), [HEADER, ...rows.slice(0, 2)].join('\n'));
    writeFileSync(path.join(parts, 'part-1.csv.gz'), gzipSync([HEADER, ...rows.slice(2)].join('\n')));
    writeFileSync(path.join(parts, '_SUCCESS'), '');
    const fromParts = await readCatalog(parts);
    expect(fromParts.tracks.ids).toEqual(whole.tracks.ids);
    expect(fromParts.titles).toEqual(whole.titles);
    expect(Array.from(fromParts.releaseMs)).toEqual(Array.from(whole.releaseMs));
    expect(Array.from(fromParts.features)).toEqual(Array.from(whole.features));
    expect(fromParts.featureNames).toEqual(whole.featureNames);
    // A part whose energy cells are all missing is blank there, not text.
    const blank = path.join(dir, 'catalog-blank-part');
    mkdirSync(blank);
    writeFileSync(path.join(blank, 'a.csv'), [HEADER, rows[0]].join('\n'));
    writeFileSync(path.join(blank, 'b.csv'), [HEADER, 't9,a9,Nine,pop,,2020,100000,,60,http://v'].join('\n'));
    expect((await readCatalog(blank)).featureNames).toContain('energy');
    // A bad cell is located in its part file and line.
    const bad = path.join(dir, 'catalog-bad-parts');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'a.csv'), [HEADER, rows[0]].join('\n'));
    writeFileSync(path.join(bad, 'b.csv'), [HEADER, rows[1], 't5,a5,Five,pop,,someday,1,1,1,http://v'].join('\n'));
    await expect(readCatalog(bad)).rejects.toThrow(`${path.join(bad, 'b.csv')}:3:6: column 'release_date': "someday" is not a date`);
  });
});
