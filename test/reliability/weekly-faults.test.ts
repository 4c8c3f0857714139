import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliAfter, runCli, signalCliAfter, startCli } from '../util/cli-process.js';
import { saveModelDir } from '../../src/model/format.js';
import { makeWorld } from '../playlist/world.js';

let dir: string;
const USERS = 2000;
const SHARD = 50;
const asOf = '2026-11-26T12:00:00Z';
const WEEK = '2026-W48';
const common = ['weekly', '--model', 'model', '--events', 'recent.csv', '--catalog', 'catalog.csv', '--as-of', asOf, '--threads', '2', '--shard-size', String(SHARD)];

const run = (args: string[], env: Record<string, string> = {}) => runCli(dir, args, env);
const killAfter = (args: string[], ms: number, ready?: () => Promise<boolean>) => killCliAfter(dir, args, ms, ready);

/** Completed shards recorded in the work directory of output `name` (0 when there is none). */
async function completed(name: string): Promise<number> {
  try {
    return JSON.parse(await readFile(path.join(dir, `.${name}.partial`, 'manifest.json'), 'utf8')).completed;
  } catch {
    return 0;
  }
}

let referenceSummary: { exposure: unknown; resumedShards: number };
const bytes = (f: string): Promise<Buffer> => readFile(path.join(dir, f));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-weekly-faults-'));
  const world = makeWorld({ users: USERS, seed: 31, artistsPerGenre: 20, tracksPerArtist: 8 });
  await saveModelDir(path.join(dir, 'model'), world.data, '0.0.0');
  const events = ['user_id,track_id,timestamp,event,ms_played,artist_id'];
  for (let u = 0; u < USERS; u++) {
    const t = (u * 7) % world.data.items.size;
    events.push(`user-${u},track-${t},2026-11-24T10:00:00Z,play,180000,artist-${world.meta.trackArtist[t]}`);
    if (u % 4 === 0) events.push(`user-${u},track-${(u * 11) % world.data.items.size},2026-11-25T10:00:00Z,dislike,,artist-${world.meta.trackArtist[(u * 11) % world.data.items.size]}`);
  }
  await writeFile(path.join(dir, 'recent.csv'), events.join('\n') + '\n');
  const catalog = ['track_id,artist_id,genre,release_date,title'];
  for (let t = 0; t < world.data.items.size; t++) catalog.push(`track-${t},artist-${world.meta.trackArtist[t]},g${world.trackGenre[t]},2020-01-01,"Song, number ${t}"`);
  await writeFile(path.join(dir, 'catalog.csv'), catalog.join('\n') + '\n');
  // The uninterrupted reference, with its own archive.
  const ref = run([...common, '--out', 'reference.csv', '--archive', 'archive-ref', '--json']);
  expect(ref.status, ref.stderr).toBe(0);
  referenceSummary = JSON.parse(ref.stdout);
  const refPq = run([...common, '--out', 'reference.parquet']);
  expect(refPq.status, refPq.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the weekly job survives faults', () => {
  it('SIGKILL at random points keeps the previous output and the archive intact; --resume finishes byte-identical', async () => {
    // A previous good output at the same path (last week's playlists).
    const previous = run(['weekly', '--model', 'model', '--events', 'recent.csv', '--as-of', '2026-11-19T12:00:00Z', '--threads', '1', '--out', 'out.csv']);
    expect(previous.status, previous.stderr).toBe(0);
    const before = await bytes('out.csv');
    let seed = 4242;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const args = [...common, '--checkpoint-seconds', '0', '--out', 'out.csv', '--archive', 'archive'];
    const kills: boolean[] = [];
    // Right after start (before or while preparing), a little after the first recorded shard, and
    // (resuming) a little after progress advanced again.
    kills.push(await killAfter(args, 150 + rand() * 150));
    kills.push(await killAfter(args, rand() * 60, async () => (await completed('out.csv')) >= 1));
    const reached = await completed('out.csv');
    kills.push(await killAfter([...args, '--resume'], rand() * 60, async () => (await completed('out.csv')) > reached));
    for (const k of kills) expect(k).toBe(true);
    const got = await completed('out.csv');
    expect(got).toBeGreaterThan(reached);
    expect(got).toBeLessThan(USERS / SHARD);
    // Nothing half-written reached the output or the archive.
    expect((await bytes('out.csv')).equals(before)).toBe(true);
    expect(existsSync(path.join(dir, 'archive', `${WEEK}.csv`))).toBe(false);
    // Only the lock of the killed run is left (its process is gone: the next run takes it over).
    expect((await readdir(dir)).filter((f) => f.startsWith('.out.csv') && !f.endsWith('.partial'))).toEqual(['.out.csv.lock']);
    const done = run([...args, '--resume', '--json']);
    expect(done.status, done.stderr).toBe(0);
    const summary = JSON.parse(done.stdout);
    expect(summary.resumedShards).toBe(got);
    expect(summary.rows).toBe(USERS * 30);
    expect((await bytes('out.csv')).equals(await bytes('reference.csv'))).toBe(true);
    expect((await bytes(`archive/${WEEK}.csv`)).equals(await bytes(`archive-ref/${WEEK}.csv`))).toBe(true);
    expect(existsSync(path.join(dir, '.out.csv.partial'))).toBe(false);
    expect(existsSync(path.join(dir, '.out.csv.lock'))).toBe(false);
    // The resumed summary covers every user, like the reference's.
    expect(referenceSummary.resumedShards).toBe(0);
    expect(summary.exposure).toEqual(referenceSummary.exposure);
  }, 120_000);

  it('resumes a Parquet output to the same bytes, with checkpoints every 0.2 s', async () => {
    const args = [...common, '--checkpoint-seconds', '0.2', '--out', 'out.parquet'];
    expect(await killAfter(args, rand01() * 60, async () => (await completed('out.parquet')) >= 2)).toBe(true);
    expect(existsSync(path.join(dir, 'out.parquet'))).toBe(false);
    const done = run([...args, '--resume']);
    expect(done.status, done.stderr).toBe(0);
    expect((await bytes('out.parquet')).equals(await bytes('reference.parquet'))).toBe(true);
  }, 60_000);

  it('writes a .gz output as the gzip of the plain one, and resumes it to the same bytes', async () => {
    const args = [...common, '--checkpoint-seconds', '0', '--out', 'out.csv.gz'];
    const whole = run([...common, '--out', 'whole.csv.gz']);
    expect(whole.status, whole.stderr).toBe(0);
    expect(gunzipSync(await bytes('whole.csv.gz')).equals(await bytes('reference.csv'))).toBe(true);
    expect(await killAfter(args, rand01() * 60, async () => (await completed('out.csv.gz')) >= 2)).toBe(true);
    const done = run([...args, '--resume', '--json']);
    expect(done.status, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).resumedShards).toBeGreaterThanOrEqual(2);
    expect((await bytes('out.csv.gz')).equals(await bytes('whole.csv.gz'))).toBe(true);
  }, 60_000);

  it('Ctrl-C says where the completed shards are kept and how to continue; --resume finishes byte-identical', async () => {
    const args = [...common, '--checkpoint-seconds', '0', '--out', 'ctrl-c.csv'];
    const r = await signalCliAfter(dir, args, 'SIGINT', 0, async () => (await completed('ctrl-c.csv')) >= 1);
    expect(r.sent).toBe(true);
    expect(r.signal).toBe('SIGINT');
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `mixtape: interrupted (SIGINT); completed shards are kept in ${path.join(dir, '.ctrl-c.csv.partial')}: run the same command with --resume to continue`,
    );
    expect(existsSync(path.join(dir, 'ctrl-c.csv'))).toBe(false);
    expect((await readdir(dir)).filter((f) => f.startsWith('.ctrl-c.csv') && !f.endsWith('.partial'))).toEqual([]);
    const done = run([...args, '--resume', '--json']);
    expect(done.status, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).resumedShards).toBeGreaterThanOrEqual(1);
    expect((await bytes('ctrl-c.csv')).equals(await bytes('reference.csv'))).toBe(true);
  }, 60_000);

  it('refuses a second run on an output while one writes it; the first finishes whole', async () => {
    // Two runs on one output shared its work directory: the finished file lost rows.
    const args = [...common, '--checkpoint-seconds', '0', '--out', 'overlap.csv'];
    const first = startCli(dir, args);
    const deadline = Date.now() + 30_000;
    while ((await completed('overlap.csv')) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // Held mid-run (as a slow run would be) while the second one starts and reaches the output.
    process.kill(first.pid, 'SIGSTOP');
    let second: ReturnType<typeof run>;
    try {
      second = run([...args, '--resume']);
    } finally {
      process.kill(first.pid, 'SIGCONT');
    }
    expect(second.status).toBe(1);
    expect(second.stderr.trim().split('\n').at(-1)).toMatch(/^mixtape: overlap\.csv: another weekly run is writing it \(process \d+, since [-0-9T:.]+Z\); wait for it to end, or remove .*\.overlap\.csv\.lock if that run is gone$/);
    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    expect((await bytes('overlap.csv')).equals(await bytes('reference.csv'))).toBe(true);
    expect(existsSync(path.join(dir, '.overlap.csv.lock'))).toBe(false);
  }, 60_000);

  it('refuses to resume a run made with other options', async () => {
    expect(await killAfter([...common, '--checkpoint-seconds', '0', '--out', 'other.csv'], 0, async () => (await completed('other.csv')) >= 1)).toBe(true);
    const r = run([...common, '--checkpoint-seconds', '0', '--out', 'other.csv', '--resume', '--lambda', '0.5']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/different model, input or option/);
    expect(existsSync(path.join(dir, 'other.csv'))).toBe(false);
  }, 60_000);

  it('retries a shard whose worker exited or threw, with the same output', async () => {
    for (const mode of ['exit', 'throw']) {
      const r = run([...common, '--out', `retried-${mode}.csv`, '--json'], { MIXTAPE_TEST_FAULT: JSON.stringify({ stage: 'weekly', shard: 3, failures: 1, mode }) });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).retriedShards).toBe(1);
      expect((await bytes(`retried-${mode}.csv`)).equals(await bytes('reference.csv'))).toBe(true);
    }
  }, 60_000);

  it('fails the run naming the shard when it fails twice, and writes no output or archive week', async () => {
    const r = run([...common, '--out', 'twice.csv', '--archive', 'archive-twice'], { MIXTAPE_TEST_FAULT: JSON.stringify({ stage: 'weekly', shard: 2, failures: 2, mode: 'exit' }) });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/shard 2 \(users 100–149\) failed twice/);
    expect(existsSync(path.join(dir, 'twice.csv'))).toBe(false);
    expect(existsSync(path.join(dir, 'archive-twice', `${WEEK}.csv`))).toBe(false);
    // Parquet is encoded while the shards run: the encoder, waiting for shard 2, ends with the run,
    // and a resume encodes the completed shards again from the work directory, then the rest.
    const pq = run([...common, '--checkpoint-seconds', '0', '--out', 'twice.parquet'], { MIXTAPE_TEST_FAULT: JSON.stringify({ stage: 'weekly', shard: 2, failures: 2, mode: 'exit' }) });
    expect(pq.status).not.toBe(0);
    expect(pq.stderr).toMatch(/shard 2 \(users 100–149\) failed twice/);
    expect(existsSync(path.join(dir, 'twice.parquet'))).toBe(false);
    const resumed = run([...common, '--checkpoint-seconds', '0', '--out', 'twice.parquet', '--resume', '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).resumedShards).toBe(2);
    expect((await bytes('twice.parquet')).equals(await bytes('reference.parquet'))).toBe(true);
  }, 60_000);
});

let seed01 = 99;
function rand01(): number {
  seed01 = (seed01 * 1103515245 + 12345) % 2 ** 31;
  return seed01 / 2 ** 31;
}
