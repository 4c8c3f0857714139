import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliAfter, runCli, signalCliAfter } from '../util/cli-process.js';
import { dumpCounts } from '../../src/bench/dump.js';
import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';
import { Model } from '../../src/model/model.js';

let dir: string;
const common = ['--interactions', 'counts.csv', '--factors', '16', '--iterations', '12', '--threads', '2', '--seed', '3'];

const run = (args: string[], env: Record<string, string> = {}) => runCli(dir, args, env);
const killAfter = (args: string[], ms: number, ready?: () => Promise<boolean>) => killCliAfter(dir, args, ms, ready);

async function checkpointIteration(name: string): Promise<number> {
  try {
    return JSON.parse(await readFile(path.join(dir, `.${name}.checkpoint`, 'checkpoint.json'), 'utf8')).completedIterations;
  } catch {
    return 0;
  }
}

const sameBits = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-faults-'));
  await dumpCounts(syntheticMatrix({ users: 4000, items: 3000, nnz: 150_000, seed: 9 }), path.join(dir, 'counts.csv'));
  const ref = run(['train', ...common, '--out', 'reference']);
  expect(ref.status, ref.stderr).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('training survives faults', () => {
  it('SIGKILL at random points leaves the previous model intact; --resume finishes bit-identical', async () => {
    // A previous good model in the output directory.
    const first = run(['train', '--interactions', 'counts.csv', '--factors', '16', '--iterations', '1', '--out', 'out']);
    expect(first.status, first.stderr).toBe(0);
    const before = await readFile(path.join(dir, 'out/manifest.json'), 'utf8');

    // Kill at seeded pseudo-random points: right after start, a little after the first
    // checkpoint, and (resuming) a little after the checkpoint advanced again.
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const args = ['train', ...common, '--checkpoint-every', '1', '--out', 'out'];
    const kills: boolean[] = [];
    kills.push(await killAfter(args, 100 + rand() * 100));
    kills.push(await killAfter(args, rand() * 40, async () => (await checkpointIteration('out')) >= 1));
    const reached = await checkpointIteration('out');
    kills.push(await killAfter([...args, '--resume'], rand() * 40, async () => (await checkpointIteration('out')) > reached));
    for (const k of kills) expect(k).toBe(true);
    expect(await checkpointIteration('out')).toBeGreaterThan(reached);
    // The previous model is untouched and complete.
    expect(await readFile(path.join(dir, 'out/manifest.json'), 'utf8')).toBe(before);
    await expect(Model.load(path.join(dir, 'out'))).resolves.toBeDefined();
    const done = run(['train', ...common, '--checkpoint-every', '1', '--out', 'out', '--resume']);
    expect(done.status, done.stderr).toBe(0);
    const [resumed, reference] = await Promise.all([Model.load(path.join(dir, 'out')), Model.load(path.join(dir, 'reference'))]);
    expect(sameBits(resumed.data.userFactors, reference.data.userFactors)).toBe(true);
    expect(sameBits(resumed.data.itemFactors, reference.data.itemFactors)).toBe(true);
    // The checkpoint is removed after success, and so are the temporary directories the killed
    // runs left (no handler runs on SIGKILL: the next write beside them clears them).
    expect(existsSync(path.join(dir, '.out.checkpoint'))).toBe(false);
    expect((await readdir(dir)).filter((f) => (f.startsWith('.out.') || f.startsWith('..out.')) && /\.(tmp|old)-/.test(f)).join(', ')).toBe('');
  });

  it('Ctrl-C says where the checkpoint is and how to continue, ends by the signal and leaves no temporary file', async () => {
    const args = ['train', ...common, '--checkpoint-every', '1', '--out', 'interrupted'];
    const r = await signalCliAfter(dir, args, 'SIGINT', 0, async () => (await checkpointIteration('interrupted')) >= 1);
    expect(r.sent).toBe(true);
    expect(r.signal).toBe('SIGINT');
    const at = await checkpointIteration('interrupted');
    const line = /^mixtape: interrupted \(SIGINT\); the checkpoint after iteration (\d+) is kept in (.*): run the same command with --resume to continue$/.exec(r.stderr.trim().split('\n').at(-1)!);
    expect(line?.[2]).toBe(path.join(dir, '.interrupted.checkpoint'));
    // The signal may land while the next checkpoint is being renamed into place: never more than is on disk.
    expect(Number(line?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(line?.[1])).toBeLessThanOrEqual(at);
    expect((await readdir(dir)).filter((f) => f.includes('interrupted') && /\.tmp-/.test(f)).join(', ')).toBe('');
    // SIGTERM (a scheduler stopping the job) during the resumed run is reported the same way.
    const t = await signalCliAfter(dir, [...args, '--resume'], 'SIGTERM', 0, async () => (await checkpointIteration('interrupted')) > at);
    expect(t.signal).toBe('SIGTERM');
    expect(t.stderr).toMatch(/mixtape: interrupted \(SIGTERM\); the checkpoint after iteration \d+ is kept in .*: run the same command with --resume to continue\n$/);
    // Fewer iterations than the checkpoint holds: refused (it would save those factors as trained for fewer).
    const kept = await checkpointIteration('interrupted');
    const fewer = run([...args, '--resume', '--iterations', '1']);
    expect(fewer.status).toBe(1);
    expect(fewer.stderr).toContain(`the checkpoint is after iteration ${kept}, past --iterations 1; resume with --iterations ${kept} or more, or run without --resume to start over`);
    expect(await checkpointIteration('interrupted')).toBe(kept);
    const done = run([...args, '--resume']);
    expect(done.status, done.stderr).toBe(0);
    const [resumed, reference] = await Promise.all([Model.load(path.join(dir, 'interrupted')), Model.load(path.join(dir, 'reference'))]);
    expect(sameBits(resumed.data.itemFactors, reference.data.itemFactors)).toBe(true);
  });

  it('a killed run before its first checkpoint leaves the output directory exactly as it was', async () => {
    expect(await killAfter(['train', ...common, '--out', 'fresh'], 300)).toBe(true);
    expect(existsSync(path.join(dir, 'fresh'))).toBe(false);
  });

  it('retries a shard whose worker died once, with the same result', () => {
    for (const mode of ['exit', 'throw']) {
      const r = run(['train', ...common, '--out', `retried-${mode}`], { MIXTAPE_TEST_FAULT: JSON.stringify({ side: 'user', shard: 1, iteration: 2, failures: 1, mode }) });
      expect(r.status, r.stderr).toBe(0);
    }
    return Promise.all([Model.load(path.join(dir, 'retried-exit')), Model.load(path.join(dir, 'retried-throw')), Model.load(path.join(dir, 'reference'))]).then(([a, b, ref]) => {
      expect(sameBits(a.data.userFactors, ref.data.userFactors)).toBe(true);
      expect(sameBits(b.data.itemFactors, ref.data.itemFactors)).toBe(true);
    });
  });

  it('fails the run naming the shard when it fails twice, and writes nothing', async () => {
    const r = run(['train', ...common, '--out', 'twice'], { MIXTAPE_TEST_FAULT: JSON.stringify({ side: 'item', shard: 2, failures: 2, mode: 'exit' }) });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/item shard 2 \(rows \d+–\d+\) failed twice/);
    expect((await readdir(dir)).some((f) => f.includes('twice'))).toBe(false);
  });

  it('refuses a run that would not fit in --max-memory before loading', () => {
    const r = run(['train', ...common, '--max-memory', '50M', '--out', 'toobig']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/estimated peak memory \d+ MB exceeds --max-memory 50 MB/);
    expect(r.stderr).toMatch(/fewer --factors/);
    const ok = run(['train', ...common, '--iterations', '1', '--max-memory', '8G', '--out', 'fits']);
    expect(ok.status, ok.stderr).toBe(0);
  });
});
