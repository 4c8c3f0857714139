/**
 * `mixtape recommend --out` writes the format its name says, as `weekly` does: the same rows
 * as CSV, TSV, JSON Lines (plain or .gz) and Parquet. Every name got CSV text before, so a
 * `.parquet` output was a CSV file that Parquet readers refused.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModelDir } from '../../src/model/format.js';
import { makeWorld } from '../playlist/world.js';
import { cliIn } from '../util/cli-process.js';

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

  it('writes a Parquet file of the columns alone when no listed user is in the model', () => {
    writeFileSync(path.join(dir, 'nobody.txt'), 'user_id\nno-such-user\n');
    const ok = mixtape('recommend', '--model', 'model', '--users', 'nobody.txt', '--out', 'none.parquet');
    expect(ok.code, ok.stderr).toBe(0);
    const table = arrow.tableFromIPC(pw.readParquet(readFileSync(path.join(dir, 'none.parquet'))).intoIPCStream());
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['user_id', 'rank', 'track_id', 'score']);
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
