import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn, runCli } from '../util/cli-process.js';

let dir: string;

const mixtape = cliIn(() => dir);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-cli-'));
  // 40 users in two taste groups over 30 items: a small but learnable counts file.
  let csv = 'userID\tartistID\tweight\n';
  for (let u = 0; u < 40; u++) {
    for (let i = 0; i < 30; i++) {
      if ((u % 2 === 0) === (i < 15) && (u * 7 + i * 3) % 5 !== 0) csv += `user${u}\tart${i}\t${1 + ((u + i) % 9)}\n`;
    }
  }
  await writeFile(path.join(dir, 'counts.tsv'), csv);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mixtape CLI', () => {
  it('prints help', () => {
    const r = mixtape('--help');
    expect(r.code).toBe(0);
    for (const c of ['train', 'recommend', 'generate', 'demo']) expect(r.stdout).toContain(c);
  });

  it('reports a usage error in one line with exit code 1, like every other error', () => {
    for (const [args, message] of [
      [['generate', '--users', '0', '--out', 'x'], "option '--users <n>' argument '0' is invalid. expected an integer ≥ 1, got '0'"],
      [['train', '--out', 'x'], "required option '--interactions <file>' not specified"],
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['signals', '--events', 'e.csv', '--read-threads', '0'], "option '--read-threads <n>' argument '0' is invalid. expected an integer ≥ 1, got '0'"],
    ] as const) {
      const r = mixtape(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`mixtape: ${message} (run with --help for usage)\n`);
    }
  });

  it('trains with named columns and --json, then recommends unheard tracks', async () => {
    const t = mixtape('train', '--interactions', 'counts.tsv', '--user-col', 'userID', '--item-col', 'artistID', '--weight-col', 'weight', '--factors', '4', '--iterations', '5', '--threads', '2', '--confidence', 'log', '--out', 'model', '--json');
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const summary = JSON.parse(t.stdout);
    expect(summary).toMatchObject({ users: 40, items: 30, factors: 4, threads: 2 });
    expect(summary.iterations).toHaveLength(5);
    for (const key of ['iteration', 'seconds', 'loss']) expect(summary.iterations[0]).toHaveProperty(key);
    expect(summary.seconds_total).toBeGreaterThan(0);
    expect(summary.peak_rss_mb).toBeGreaterThan(0);

    const r = mixtape('recommend', '--model', 'model', '--n', '5', '--out', 'recs.csv', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ users: 40, n: 5, cold: 0 });
    const lines = (await readFile(path.join(dir, 'recs.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('user_id,rank,track_id,score');
    const heard = new Set((await readFile(path.join(dir, 'counts.tsv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split('\t').slice(0, 2).join('|')));
    for (const line of lines.slice(1)) {
      const [u, rank, t] = line.split(',');
      expect(Number(rank)).toBeGreaterThanOrEqual(1);
      expect(heard.has(`${u}|${t}`)).toBe(false);
    }
    // Even users like items 0–14: their top pick should come from that half.
    const top = lines.slice(1).find((l) => l.startsWith('user0,1,'))!;
    expect(Number(top.split(',')[2].slice(3))).toBeLessThan(15);
  });

  it('off a terminal, prints a progress line per interval and each stage line as the stage ends', () => {
    const args = ['train', '--interactions', 'counts.tsv', '--user-col', 'userID', '--item-col', 'artistID', '--factors', '2', '--iterations', '3', '--out', 'progress-model'];
    // Short runs stay silent at the default interval (30 s) ...
    const quiet = runCli(dir, args);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr.split('\n').filter(Boolean).map((l) => l.split(' ')[0])).toEqual(['read', 'trained']);
    // ... and show where they are at a short one.
    const r = runCli(dir, args, { MIXTAPE_PROGRESS_INTERVAL: '0.000001' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('reading: '))[0]).toMatch(/^reading: \d+\/\d+ MB \(\d+%\), [\d.]+ MB\/s, \d+ s elapsed/);
    const training = lines.filter((l) => l.startsWith('training: '));
    expect(training.length).toBeGreaterThanOrEqual(2);
    expect(training.at(-1)).toMatch(/^training: 3\/3 iterations \(100%\), [\d.]+ iterations\/s, \d+ s elapsed; loss [\d.e-]+$/);
    // The read line comes before training starts.
    expect(lines.findIndex((l) => l.startsWith('read counts.tsv'))).toBeLessThan(lines.indexOf(training[0]));
    expect(lines.at(-1)).toMatch(/^trained 40 users/);

    const bad = runCli(dir, args, { MIXTAPE_PROGRESS_INTERVAL: 'soon' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/MIXTAPE_PROGRESS_INTERVAL must be a number of seconds ≥ 0.*'soon'/);
  });

  it('reports the seconds of each stage of training in --json', () => {
    const r = mixtape('train', '--interactions', 'counts.tsv', '--user-col', 'userID', '--item-col', 'artistID', '--factors', '2', '--iterations', '2', '--out', 'timed-model', '--json');
    expect(r.code, r.stderr).toBe(0);
    const { seconds, seconds_total } = JSON.parse(r.stdout);
    for (const stage of ['read', 'train', 'save']) expect(seconds[stage]).toBeGreaterThan(0);
    expect(seconds.read + seconds.train + seconds.save).toBeLessThanOrEqual(seconds_total);
  });

  it('recommends for a listed subset of users', async () => {
    // A one-column CSV export: quoted ids are unquoted; ids the model does not know are counted, not silently dropped.
    await writeFile(path.join(dir, 'users.txt'), 'user_id\nuser3\n"user5"\nnobody\n');
    const r = mixtape('recommend', '--model', 'model', '--users', 'users.txt', '--n', '2', '--out', 'some.csv');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote top-2 for 2 users .*; 1 of 3 listed users are not in the model \(first: "nobody"\)/);
    const rows = (await readFile(path.join(dir, 'some.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(new Set(rows.map((l) => l.split(',')[0]))).toEqual(new Set(['user3', 'user5']));
    // Into a directory that does not exist yet, as every other command's outputs; a missing list is named.
    const nested = mixtape('recommend', '--model', 'model', '--users', 'users.txt', '--n', '2', '--out', 'new/dir/some.csv');
    expect(nested.code, nested.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'new/dir/some.csv'), 'utf8')).toBe(await readFile(path.join(dir, 'some.csv'), 'utf8'));
    // A user listed twice gets one list, and the repeat is said.
    await writeFile(path.join(dir, 'twice.txt'), 'user3\nuser5\nuser3\n');
    const twice = mixtape('recommend', '--model', 'model', '--users', 'twice.txt', '--n', '2', '--out', 'twice.csv', '--json');
    expect(JSON.parse(twice.stdout)).toMatchObject({ users: 2, repeated_listed_users: 1, unknown_listed_users: 0 });
    expect((await readFile(path.join(dir, 'twice.csv'), 'utf8')).trim().split('\n')).toHaveLength(1 + 2 * 2);
    const missing = mixtape('recommend', '--model', 'model', '--users', 'nobody.txt', '--out', 'none.csv');
    expect(missing.stderr).toBe('mixtape: nobody.txt: cannot open: no such file\n');
  });

  it('fails with one line on stderr and no output file on bad input', async () => {
    await writeFile(path.join(dir, 'bad.csv'), 'user_id,item_id,weight\na,b,1\nc,d,zz\n');
    const r = mixtape('train', '--interactions', 'bad.csv', '--out', 'badmodel');
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.csv:3/);
    expect((await readdir(dir)).some((f) => f.startsWith('badmodel') || f.startsWith('.badmodel'))).toBe(false);
    const s = mixtape('train', '--interactions', 'bad.csv', '--skip-bad', '--factors', '2', '--iterations', '1', '--out', 'skipmodel');
    expect(s.code).toBe(0);
    const u = mixtape('train', '--interactions', 'counts.tsv', '--factors', '0', '--out', 'x');
    expect(u.code).not.toBe(0);
    expect(u.stderr).toMatch(/factors/);
    // A value only the trainer's schema refuses is refused before the data is read, not after.
    const big = mixtape('train', '--interactions', 'counts.tsv', '--user-col', 'userID', '--item-col', 'artistID', '--weight-col', 'weight', '--factors', '100000', '--out', 'x');
    expect(big.stderr).toBe("mixtape: train option 'factors': Too big: expected number to be <=4096\n");
  });

  it('refuses to replace a model with one of nobody when every row is dropped', async () => {
    const t = mixtape('train', '--interactions', 'counts.tsv', '--user-col', 'userID', '--item-col', 'artistID', '--weight-col', 'weight', '--factors', '2', '--iterations', '1', '--out', 'kept', '--json');
    expect(t.code).toBe(0);
    const before = await readFile(path.join(dir, 'kept', 'manifest.json'), 'utf8');
    await writeFile(path.join(dir, 'zeros.csv'), 'user_id,item_id,weight\na,x,0\nb,y,0\n');
    const r = mixtape('train', '--interactions', 'zeros.csv', '--out', 'kept');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mixtape: zeros.csv: no interactions left to train on (every row was dropped or weighed to zero; the read and signals lines say why); kept is not written');
    expect(await readFile(path.join(dir, 'kept', 'manifest.json'), 'utf8')).toBe(before);
    // Events all dated after --as-of: the same.
    await writeFile(path.join(dir, 'late.csv'), 'user_id,track_id,timestamp\na,x,2026-01-05T00:00:00Z\n');
    const e = mixtape('train', '--interactions', 'late.csv', '--format', 'events', '--as-of', '2026-01-01', '--out', 'kept');
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('no interactions left to train on');
    expect(await readFile(path.join(dir, 'kept', 'manifest.json'), 'utf8')).toBe(before);
  });

  it('refuses an empty path, and an output where no directory can be made, before reading anything', () => {
    const empty = mixtape('train', '--interactions', 'counts.tsv', '--out', '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe("mixtape: option '--out <dir>' argument '' is invalid. expected a path, got an empty one\n");
    expect(mixtape('recommend', '--model', '', '--out', 'r.csv').stderr).toMatch(/option '--model <dir>' argument '' is invalid/);
    if (process.platform === 'linux') {
      // Node's own recursive mkdir spins forever here (procfs answers ENOENT for a new entry).
      const proc = mixtape('train', '--interactions', 'counts.tsv', '--user-col', 'userID', '--item-col', 'artistID', '--weight-col', 'weight', '--out', '/proc/mixtape-no-such/model');
      expect(proc.code).toBe(1);
      expect(proc.stderr).toBe("mixtape: cannot write /proc/mixtape-no-such/model: ENOENT: no such file or directory, mkdir '/proc/mixtape-no-such'\n");
    }
  });

  it('refuses a missing model with a clear error', () => {
    const r = mixtape('recommend', '--model', 'nowhere', '--out', 'r.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a mixtape model directory/);
  });
});
