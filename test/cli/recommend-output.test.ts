/**
 * `mixtape recommend --out` writes the format its name says, as `weekly` does: the same rows
 * as CSV, TSV, JSON Lines (plain or .gz) and Parquet. Every name got CSV text before, so a
 * `.parquet` output was a CSV file that Parquet readers refused.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModelDir } from '../../src/model/format.js';
import { Model } from '../../src/model/model.js';
import { makeWorld } from '../playlist/world.js';
import { cliIn, mixtapeBin } from '../util/cli-process.js';

let dir: string;
const mixtape = cliIn(() => dir);
type Row = { user_id: string; rank: number; track_id: string; score: number };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-recommend-out-'));
  const world = makeWorld({ users: 300, seed: 5, artistsPerGenre: 6, tracksPerArtist: 5 });
  await saveModelDir(path.join(dir, 'model'), world.data, '0.0.0');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvRows(text: string, sep: string): Row[] {
  const [head, ...lines] = text.trimEnd().split('\n');
  expect(head).toBe(['user_id', 'rank', 'track_id', 'score'].join(sep));
  return lines.map((l) => {
    const [u, r, t, s] = l.split(sep);
    return { user_id: u, rank: Number(r), track_id: t, score: Number(s) };
  });
}

function parquetRows(file: string): Row[] {
  const table = arrow.tableFromIPC(pw.readParquet(readFileSync(file)).intoIPCStream());
  return table.toArray().map((r) => r.toJSON() as Row);
}

describe('recommend --out formats', () => {
  it('writes the same rows as CSV, TSV, JSON Lines, gzip and Parquet', () => {
    const outputs = ['recs.csv', 'recs.tsv', 'recs.jsonl', 'recs.ndjson.gz', 'recs.csv.gz', 'recs.parquet'];
    for (const out of outputs) {
      const r = mixtape('recommend', '--model', 'model', '--n', '7', '--out', out, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).users).toBe(300);
    }
    const read = (f: string) => readFileSync(path.join(dir, f));
    const csv = csvRows(read('recs.csv').toString(), ',');
    expect(csv.length).toBe(300 * 7);
    expect(csvRows(read('recs.tsv').toString(), '\t')).toEqual(csv);
    const jsonl = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
    expect(jsonl(read('recs.jsonl').toString())).toEqual(csv);
    expect(jsonl(gunzipSync(read('recs.ndjson.gz')).toString())).toEqual(csv);
    expect(gunzipSync(read('recs.csv.gz')).toString()).toBe(read('recs.csv').toString());
    const table = arrow.tableFromIPC(pw.readParquet(read('recs.parquet')).intoIPCStream());
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['user_id:Utf8', 'rank:Int32', 'track_id:Utf8', 'score:Float32']);
    expect(table.toArray().map((r) => r.toJSON())).toEqual(csv);
  });

  it('writes every list as Model.recommend gives it, ids that need quoting or UTF-8 included', async () => {
    // Ids with a delimiter, a quote, a tab and characters beyond ASCII, and a user list cut short.
    const users = ['plain', 'with,comma', 'with "quote"', 'tab\there', 'ünïcødé-🎵'];
    const tracks = ['t1', 't,2', 't"3"', 't\t4', 'tëst-5', 't6', 't7', 't8'];
    const lines = ['user_id,item_id,weight'];
    const q = (x: string) => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x);
    users.forEach((u, i) => tracks.forEach((t, j) => (i + j) % 3 !== 0 && lines.push(`${q(u)},${q(t)},${1 + ((i * j) % 4)}`)));
    writeFileSync(path.join(dir, 'quirky.csv'), lines.join('\n') + '\n');
    const t = mixtape('train', '--interactions', 'quirky.csv', '--factors', '3', '--iterations', '3', '--threads', '1', '--out', 'quirky-model');
    expect(t.code, t.stderr).toBe(0);
    const model = await Model.load(path.join(dir, 'quirky-model'));
    const expected: Row[] = [];
    for (const u of model.userIds) (await model.recommend(u, { n: 4 })).forEach((r, i) => expected.push({ user_id: u, rank: i + 1, track_id: r.trackId, score: r.score }));
    expect(expected.length).toBeGreaterThan(users.length); // some lists are short: seen tracks are left out
    for (const out of ['q.csv', 'q.tsv', 'q.jsonl', 'q.parquet']) expect(mixtape('recommend', '--model', 'quirky-model', '--n', '4', '--out', out).code).toBe(0);
    const parseDelimited = (text: string, sep: string): Row[] => {
      const rows: Row[] = [];
      const field = String.raw`"(?:[^"]|"")*"|[^"${sep}\n]*`;
      const re = new RegExp(`^(${field})${sep}(\\d+)${sep}(${field})${sep}([^\\n]*)$`, 'gm');
      const un = (f: string) => (f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f);
      for (const m of text.slice(text.indexOf('\n') + 1).matchAll(re)) rows.push({ user_id: un(m[1]), rank: Number(m[2]), track_id: un(m[3]), score: Number(m[4]) });
      return rows;
    };
    const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
    expect(parseDelimited(read('q.csv'), ',')).toEqual(expected);
    expect(parseDelimited(read('q.tsv'), '\t')).toEqual(expected);
    expect(read('q.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as Row)).toEqual(expected);
    expect(parquetRows(path.join(dir, 'q.parquet'))).toEqual(expected);
  });

  it('writes Parquet rows past a table of 65,536 rows as CSV has them', async () => {
    const world = makeWorld({ users: 400, seed: 9, artistsPerGenre: 6, tracksPerArtist: 5 });
    await saveModelDir(path.join(dir, 'model-400'), world.data, '0.0.0');
    for (const out of ['all.csv', 'all.parquet']) expect(mixtape('recommend', '--model', 'model-400', '--n', '240', '--out', out).code).toBe(0);
    const csv = csvRows(readFileSync(path.join(dir, 'all.csv'), 'utf8'), ',');
    expect(csv.length).toBeGreaterThan(65_536 + 240); // two tables at least, one user's list split between them
    expect(parquetRows(path.join(dir, 'all.parquet'))).toEqual(csv);
  });

  it('writes a Parquet file of the columns alone when no listed user is in the model', () => {
    writeFileSync(path.join(dir, 'nobody.txt'), 'user_id\nno-such-user\n');
    const ok = mixtape('recommend', '--model', 'model', '--users', 'nobody.txt', '--out', 'none.parquet');
    expect(ok.code, ok.stderr).toBe(0);
    const table = arrow.tableFromIPC(pw.readParquet(readFileSync(path.join(dir, 'none.parquet'))).intoIPCStream());
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['user_id', 'rank', 'track_id', 'score']);
  });

  it('streams the CSV rows to standard output with --out -, and ends quietly when the reader stops early', async () => {
    const file = mixtape('recommend', '--model', 'model', '--n', '7', '--out', 'piped.csv');
    expect(file.code, file.stderr).toBe(0);
    const piped = mixtape('recommend', '--model', 'model', '--n', '7', '--out', '-');
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(readFileSync(path.join(dir, 'piped.csv'), 'utf8'));
    expect(piped.stderr).toMatch(/wrote top-7 for 300 users in [\d.]+ s → standard output\n$/);
    expect(existsSync(path.join(dir, '-'))).toBe(false);
    // A reader that closes the pipe after the first piece (`| head`): status 141, as SIGPIPE gives, and nothing said.
    const child = spawn(process.execPath, [mixtapeBin, 'recommend', '--model', 'model-400', '--n', '240', '--out', '-'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(141);
    const both = mixtape('recommend', '--model', 'model', '--out', '-', '--json');
    expect(both.code).toBe(1);
    expect(both.stderr).toBe('mixtape: --json and --out - would both write to standard output: give --out a file name, or leave out --json\n');
  });

  it('refuses - as a path where no standard stream is read or written, rather than making a file of that name', () => {
    for (const args of [
      ['weekly', '--model', 'model', '--events', 'e.csv', '--as-of', '2026-01-19', '--out', '-'],
      ['signals', '--events', '-', '--as-of', '2026-01-19', '--report', 'r.json'],
      ['recommend', '--model', '-', '--out', 'r.csv'],
    ]) {
      const r = mixtape(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/argument '-' is invalid\. expected a path: standard input and output are not read or written here/);
    }
    expect(existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('refuses a compressed Parquet name before loading the model, and leaves nothing', () => {
    const r = mixtape('recommend', '--model', 'no-model', '--out', 'recs.parquet.gz');
    expect(r.stderr).toBe('mixtape: --out recs.parquet.gz: Parquet compresses its own pages; name it .parquet\n');
    expect(existsSync(path.join(dir, 'recs.parquet.gz'))).toBe(false);
    const regions = mixtape('recommend', '--model', 'model', '--regions', 'regions.csv', '--out', 'regions.csv.out');
    expect(regions.stderr).toMatch(/--regions is used with --onboarding/);
    expect(readdirSync(dir).filter((f) => f.startsWith('.regions'))).toEqual([]);
  });
});
