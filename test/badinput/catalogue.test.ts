/**
 * The catalogue of bad inputs, each run end to end: through the real CLI (`mixtape train` /
 * `recommend`, one line on stderr, exit 1) or through readEvents / readCounts / Model.load. Every
 * error must name the file (and the line where there is one) and say what is wrong. Inputs that
 * look odd but are valid (BOM, CRLF, quoted newlines) must read correctly instead.
 *
 * Already covered elsewhere, and run here again end to end so the catalogue is complete:
 * test/data/csv-reader.test.ts (empty, header only, BOM, CRLF, quoted newlines, bad quoting, long
 * rows via readDelimited), test/data/read-events.test.ts (empty, header only, invalid UTF-8 in
 * events), test/data/columnar.test.ts (truncated Parquet/Arrow, Parquet missing a column),
 * test/model/model.test.ts (flipped byte, missing file, future format version via Model.load).
 * New here: the CLI path for all of these, a space- or semicolon-delimited file, UTF-16, binary
 * garbage, Latin-1 in counts, a quoted newline followed by a bad row (line numbers stay physical),
 * a real 1 GB single line (sparse file), a Parquet id column of the wrong type, an unreadable
 * manifest and a directory that is not a model; a missing Parquet file and a directory named like an
 * input (each format).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { countsToInteractions, readCounts, readEvents, writeEventsParquet } from '../../src/data/index.js';
import { Model } from '../../src/model/model.js';
import { train } from '../../src/train/train.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'dist/src/cli/main.js');
const T = Date.UTC(2024, 0, 1);
let dir: string;

const file = (name: string): string => path.join(dir, name);
const write = (name: string, content: string | Uint8Array): string => (writeFileSync(file(name), content), file(name));

function cli(...args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { code: r.status, stderr: r.stderr };
}

/** A case fails with `expect` (via: where it ran) or, for a valid oddity, passes `check`. */
interface Case {
  name: string;
  via: 'cli train' | 'cli recommend' | 'readEvents' | 'readCounts' | 'Model.load';
  run: () => Promise<string | void>;
  expect?: RegExp;
}

const trainEvents = (f: string) => async () => failLine(cli('train', '--interactions', f, '--format', 'events', '--factors', '2', '--iterations', '1', '--threads', '1', '--out', file('never')));
const trainCounts = (f: string) => async () => failLine(cli('train', '--interactions', f, '--factors', '2', '--iterations', '1', '--threads', '1', '--out', file('never')));
const recommend = (model: string) => async () => failLine(cli('recommend', '--model', model, '--out', file('never.csv')));
const rejectsWith = (p: Promise<unknown>) => p.then(
  () => {
    throw new Error('expected an error, the call succeeded');
  },
  (err: Error) => err.message,
);

/** The single stderr line of a failed CLI run. */
function failLine(r: { code: number | null; stderr: string }): string {
  if (r.code !== 1) throw new Error(`expected exit 1, got ${r.code}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${r.stderr}`);
  return lines[0];
}

/** A copy of a saved model directory, changed by `change`. */
function brokenModel(name: string, change: (d: string) => void): string {
  const d = file(name);
  spawnSync('cp', ['-r', file('model'), d]);
  change(d);
  return d;
}

const cases: Case[] = [];
const add = (c: Case): void => void cases.push(c);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-badinput-'));
  const ev = (...rows: string[]) => ['user_id,track_id,timestamp', ...rows].join('\n') + '\n';

  // ---- text files ----
  add({ name: 'empty file', via: 'cli train', run: trainEvents(write('empty.csv', '')), expect: /^mixtape: .*empty\.csv: empty$/ });
  add({ name: 'header only', via: 'readCounts', run: () => rejectsWith(readCounts(write('header.csv', 'user_id,item_id,weight\n'))), expect: /header\.csv: no data rows$/ });
  add({ name: 'space-delimited (no known delimiter)', via: 'readEvents', run: () => rejectsWith(readEvents(write('space.csv', `user_id track_id timestamp\nu t ${T}\n`))), expect: /space\.csv: missing column 'user_id' \(columns: user_id track_id timestamp\)/ });
  add({ name: 'semicolons with decimal commas', via: 'readCounts', run: () => rejectsWith(readCounts(write('semi.csv', 'user_id;item_id;weight\nu;i;1,5\n'))), expect: /semi\.csv:2: column 'weight': "1,5" is not a number/ });
  add({ name: 'UTF-16 text', via: 'readEvents', run: () => rejectsWith(readEvents(write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ev(`u,t,${T}`), 'utf16le')])))), expect: /utf16\.csv: missing column 'user_id'/ });
  add({ name: 'binary garbage', via: 'readEvents', run: () => rejectsWith(readEvents(write('garbage.csv', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)))), expect: /garbage\.csv: missing column 'user_id'/ });
  add({ name: 'Latin-1 byte in a user id', via: 'cli train', run: trainCounts(write('latin1.csv', Buffer.concat([Buffer.from('user_id,item_id,weight\nok,i,1\nJos'), Buffer.from([0xe9]), Buffer.from(',i,2\n')]))), expect: /latin1\.csv:3: column 'user_id': invalid UTF-8/ });
  add({ name: 'Latin-1 byte in a track id', via: 'readEvents', run: () => rejectsWith(readEvents(write('latin1-ev.csv', Buffer.concat([Buffer.from(`user_id,track_id,timestamp\nu,caf`), Buffer.from([0xe9]), Buffer.from(`,${T}\n`)])))), expect: /latin1-ev\.csv:2: column 'track_id': invalid UTF-8/ });
  add({ name: 'unterminated quoted field', via: 'readEvents', run: () => rejectsWith(readEvents(write('quote.csv', ev(`u,t,${T}`, `"v,t,${T}`)))), expect: /quote\.csv:3: unterminated quoted field/ });
  add({ name: 'quoted newline, then a bad row: lines stay physical', via: 'readEvents', run: () => rejectsWith(readEvents(write('qnl.csv', ev(`"two\nlines",t,${T}`, `u,t,${T}`, `u,t,not-a-time`)), { strict: true })), expect: /qnl\.csv:5: bad_timestamp: column 'timestamp': "not-a-time"/ });
  add({ name: 'an event log trained as counts (no --format events)', via: 'cli train', run: trainCounts(write('log-as-counts.csv', ev(`u,t,${T}`))), expect: /log-as-counts\.csv: missing column 'item_id' \(columns: user_id, track_id, timestamp\): this looks like an event log — add --format events$/ });
  add({ name: 'counts trained as events', via: 'cli train', run: trainEvents(write('counts-as-log.csv', 'user_id,item_id,weight\nu,i,3\n')), expect: /counts-as-log\.csv: missing column 'track_id' \(columns: user_id, item_id, weight\): this looks like a counts file — use --format counts \(the default\)$/ });
  add({ name: 'missing file', via: 'cli train', run: trainEvents('no-such-file.csv'), expect: /no-such-file\.csv: cannot open: no such file$/ });
  // A missing Parquet file read "Unable to open file as blob"; a directory named like an input crashed
  // the Parquet reader outside any promise (a wasm panic and a stack trace) and gave CSV an EISDIR
  // that named no file. A directory is now read as part files: an empty one says so.
  add({ name: 'missing Parquet file', via: 'readEvents', run: () => rejectsWith(readEvents(file('no-such-file.parquet'))), expect: /no-such-file\.parquet: cannot open: no such file$/ });
  for (const ext of ['parquet', 'csv', 'arrow']) {
    add({
      name: `an empty directory named .${ext}`,
      via: 'cli train',
      run: async () => (mkdirSync(file(`folder.${ext}`)), trainEvents(`folder.${ext}`)()),
      expect: new RegExp(`^mixtape: folder\\.${ext}: a directory without part files$`),
    });
  }
  {
    // A real 1 GB line, made sparse so nothing is written to disk: the reader must stop at its
    // row limit (64 MiB by default) and name the line, without reading the rest into memory.
    const big = file('one-gigabyte-line.csv');
    const fd = openSync(big, 'w');
    writeSync(fd, 'user_id,track_id,timestamp\nu,');
    ftruncateSync(fd, 2 ** 30);
    closeSync(fd);
    add({
      name: '1 GB single line',
      via: 'readEvents',
      run: async () => {
        const message = await rejectsWith(readEvents(big));
        const rssMb = process.resourceUsage().maxRSS / 1024;
        if (rssMb > 700) throw new Error(`peak RSS ${rssMb.toFixed(0)} MB: the reader kept too much of the line`);
        rmSync(big);
        return message;
      },
      expect: /one-gigabyte-line\.csv:2: row longer than 67108864 bytes/,
    });
  }
  // Valid oddities: read correctly, not rejected.
  add({
    name: 'UTF-8 BOM and CRLF line ends (valid)',
    via: 'readEvents',
    run: async () => {
      const { log } = await readEvents(write('bom-crlf.csv', `\ufeffuser_id,track_id,timestamp\r\nu1,t1,${T}\r\n"u 2","t\r\n2",${T + 1}\r\n`));
      expect(log.users.ids).toEqual(['u1', 'u 2']);
      expect(log.tracks.ids).toEqual(['t1', 't\r\n2']);
      expect(Array.from(log.timestamp)).toEqual([T, T + 1]);
    },
  });

  // ---- Parquet ----
  const { log } = await readEvents(write('small.csv', ev(`u,t,${T}`, `v,t,${T + 1}`)));
  await writeEventsParquet(log, file('good.parquet'));
  const pq = readFileSync(file('good.parquet'));
  add({ name: 'truncated Parquet', via: 'cli train', run: trainEvents(write('cut.parquet', pq.subarray(0, pq.length >> 1))), expect: /cut\.parquet: not a readable Parquet file/ });
  add({ name: 'CSV text named .parquet', via: 'readEvents', run: () => rejectsWith(readEvents(write('text.parquet', ev(`u,t,${T}`)))), expect: /text\.parquet: not a readable Parquet file/ });
  const toParquet = (t: arrow.Table) => pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(t, 'stream')));
  const wrongType = new arrow.Table({
    user_id: arrow.vectorFromArray([1.5], new arrow.Float64()),
    track_id: arrow.vectorFromArray(['x'], new arrow.Utf8()),
    timestamp: arrow.vectorFromArray([T], new arrow.Float64()),
  });
  add({ name: 'Parquet id column of the wrong type', via: 'cli train', run: trainEvents(write('wrong-type.parquet', toParquet(wrongType))), expect: /wrong-type\.parquet: column 'user_id' has type Float64, expected strings, integers or fixed-size binary \(UUIDs\)$/ });
  const noTime = new arrow.Table({ user_id: arrow.vectorFromArray(['a'], new arrow.Utf8()), track_id: arrow.vectorFromArray(['x'], new arrow.Utf8()) });
  add({ name: 'Parquet missing a column', via: 'readEvents', run: () => rejectsWith(readEvents(write('no-time.parquet', toParquet(noTime)))), expect: /no-time\.parquet: missing column 'timestamp' \(columns: user_id, track_id\)/ });

  // ---- model directories ----
  const counts = await readCounts(write('counts.csv', 'user_id,item_id,weight\na,x,1\na,y,2\nb,y,1\nb,z,3\nc,x,1\n'));
  const model = await train(countsToInteractions(counts), { factors: 2, iterations: 2, threads: 1 });
  await model.save(file('model'));
  add({ name: 'model with a missing file', via: 'cli recommend', run: recommend(brokenModel('m-missing', (d) => rmSync(path.join(d, 'users.parquet')))), expect: /m-missing\/users\.parquet: missing \(listed in the model manifest\)/ });
  add({
    name: 'model with a flipped byte in a factor file',
    via: 'cli recommend',
    run: recommend(brokenModel('m-flip', (d) => {
      const f = path.join(d, 'items.parquet');
      const b = readFileSync(f);
      b[b.length >> 1] ^= 0x01;
      writeFileSync(f, b);
    })),
    expect: /m-flip\/items\.parquet: checksum mismatch/,
  });
  const editManifest = (edit: (m: Record<string, unknown>) => void) => (d: string) => {
    const f = path.join(d, 'manifest.json');
    const m = JSON.parse(readFileSync(f, 'utf8'));
    edit(m);
    writeFileSync(f, JSON.stringify(m));
  };
  add({ name: 'model from a future format version', via: 'cli recommend', run: recommend(brokenModel('m-future', editManifest((m) => (m.formatVersion = 99)))), expect: /m-future\/manifest\.json: model format version 99 is newer than this mixtape supports \(1\); upgrade mixtape/ });
  add({ name: 'truncated manifest', via: 'Model.load', run: () => rejectsWith(Model.load(brokenModel('m-json', (d) => writeFileSync(path.join(d, 'manifest.json'), '{"format": "mixtape-mo')))), expect: /m-json\/manifest\.json: invalid JSON/ });
  add({ name: 'manifest without counts', via: 'Model.load', run: () => rejectsWith(Model.load(brokenModel('m-counts', editManifest((m) => delete m.counts)))), expect: /m-counts\/manifest\.json: manifest is incomplete/ });
  // A changed digit in the manifest: before, most of these loaded a model that answered wrongly.
  const manifestCase = (name: string, edit: (m: Record<string, any>) => void, expect: RegExp): void =>
    add({ name, via: 'Model.load', run: () => rejectsWith(Model.load(brokenModel(name.replace(/\W+/g, '-'), editManifest(edit)))), expect });
  manifestCase('manifest whose params and counts disagree on factors', (m) => (m.params.factors = m.counts.factors + 1), /manifest\.json: counts\.factors: params\.factors and counts\.factors differ/);
  manifestCase('manifest with fewer factors than its files', (m) => (m.params.factors = m.counts.factors = m.counts.factors / 2), /\.parquet: has factor column f(\d+), more than the manifest's \1 factors/);
  manifestCase('manifest with a negative regularization', (m) => (m.params.regularization = -1), /manifest\.json: params\.regularization: /);
  manifestCase('manifest with an unknown confidence', (m) => (m.params.confidence = 'bogus'), /manifest\.json: params\.confidence: /);
  manifestCase('manifest of format version 0', (m) => (m.formatVersion = 0), /manifest\.json: formatVersion: /);
  manifestCase('manifest listing a file outside the model directory', (m) => (m.files['../x.bin'] = m.files['items.parquet']), /manifest\.json: files: '\.\.\/x\.bin' is not a plain file name inside the model directory/);
  manifestCase('manifest with a malformed pseudonym key check', (m) => (m.extensions = { pseudonyms: { scheme: 'hmac-sha256-128', keyCheck: 'not-hex' } }), /manifest\.json: extensions\.pseudonyms\.keyCheck: expected 16 hex digits/);
  manifestCase('manifest with another count of interactions', (m) => (m.counts.nnz += 1), /interactions\.parquet: \d+ interactions, manifest says \d+/);
  add({ name: 'a directory that is not a model', via: 'Model.load', run: () => rejectsWith(Model.load(dir)), expect: /not a mixtape model directory \(no manifest\.json\)/ });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad input catalogue', () => {
  it('rejects every bad input with a message naming the file and the problem, and reads valid oddities', async () => {
    const results: string[] = [];
    for (const c of cases) {
      let message: string | void;
      try {
        message = await c.run();
      } catch (err) {
        throw new Error(`${c.name} (${c.via}): ${(err as Error).message}`);
      }
      if (c.expect) {
        expect(message, `${c.name} (${c.via})`).toMatch(c.expect);
        expect(String(message), `${c.name}: the error does not name the file`).toMatch(/[\w-]+\.(csv|parquet|arrow|json)|model directory|\//);
      }
      results.push(`  ${c.via.padEnd(14)} ${c.name}${message ? ` → ${message}` : ' → read correctly'}`);
    }
    console.log(`bad input catalogue: ${cases.length} cases\n${results.join('\n')}`);
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
});
