import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../util/cli-process.js';
import { RunLock } from '../../src/util/run-lock.js';

let dir: string;

const mixtape = cliIn(() => dir);

/**
 * A small world with structure to find: 400 users in 4 taste groups over 4 × 60 items with
 * power-law popularity inside each group, plus some off-taste noise and heavy-tailed play counts.
 */
function world(): string {
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  let csv = 'user_id,item_id,weight\n';
  for (let u = 0; u < 400; u++) {
    const g = u % 4;
    const seen = new Set<number>();
    const n = 15 + Math.floor(rand() * 20);
    while (seen.size < n) {
      const inGroup = rand() < 0.85;
      const rank = Math.floor(60 * rand() ** 2.5);
      seen.add(inGroup ? g * 60 + rank : Math.floor(rand() * 240));
    }
    for (const i of seen) csv += `u${u},i${i},${1 + Math.floor(100 * rand() ** 3)}\n`;
  }
  return csv;
}

interface TuneJson {
  config: { train: { factors: number } };
  validation: { defaults: number; best: number };
  test: { defaults: number; best: number };
  trials: { evaluated: number; fromLog: number; brackets: number; search: number; maxTrials?: number };
}

async function logKeys(): Promise<string[]> {
  return (await readFile(path.join(dir, 'tune.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { key?: string; run?: unknown })
    // The first line names the run, not a trial.
    .filter((r, n) => (n === 0 ? r.run === undefined : true))
    .map((r) => r.key as string);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-tune-'));
  await writeFile(path.join(dir, 'counts.csv'), world());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mixtape tune', () => {
  // A cap on the search trials with an ample budget: the same trials on any machine.
  const args = ['tune', '--interactions', 'counts.csv', '--budget', '10m', '--iterations', '8', '--threads', '2', '--log', 'tune.jsonl', '--out', 'best.json', '--json'];

  it('finds a configuration at least as good as the defaults on validation, resumes without repeating trials, and writes a config train accepts', async () => {
    const first = mixtape(...args, '--trials', '5');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as TuneJson;
    console.log(`tune: validation NDCG@20 best ${a.validation.best.toFixed(4)} vs defaults ${a.validation.defaults.toFixed(4)}; test ${a.test.best.toFixed(4)} vs ${a.test.defaults.toFixed(4)}; ${a.trials.evaluated} trials`);
    expect(a.trials).toMatchObject({ search: 5, maxTrials: 5 });
    expect(a.trials.fromLog).toBe(0);
    expect((a as TuneJson & { ingest: { file: string; rows_kept: number } }).ingest).toMatchObject({ file: 'counts.csv', rows_kept: expect.any(Number) });
    expect(a.validation.best).toBeGreaterThanOrEqual(a.validation.defaults);
    expect(a.test.best).toBeGreaterThan(0);
    const keys1 = await logKeys();
    expect(keys1).toHaveLength(a.trials.evaluated);
    expect(new Set(keys1).size).toBe(keys1.length);

    // A resumed run with a higher cap extends the search: the seeded search revisits the first
    // run's configurations, answers every one from the log and trains only the three new ones.
    const second = mixtape(...args, '--resume', '--trials', '8');
    expect(second.code).toBe(0);
    const b = JSON.parse(second.stdout) as TuneJson;
    expect(b.trials).toMatchObject({ search: 8, evaluated: 3, fromLog: keys1.length });
    const keys2 = await logKeys();
    expect(keys2.slice(0, keys1.length)).toEqual(keys1);
    expect(keys2).toHaveLength(keys1.length + b.trials.evaluated);
    expect(new Set(keys2).size).toBe(keys2.length);
    expect(b.validation.best).toBeGreaterThanOrEqual(a.validation.best);

    // Another seed's run (or another dataset's) must not take these scores as its own.
    const other = mixtape(...args, '--resume', '--seed', '7');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("tune.jsonl: the log's trials were scored on another run (seed 42 there, 7 here)");
    expect(await logKeys()).toEqual(keys2);

    const best = JSON.parse(await readFile(path.join(dir, 'best.json'), 'utf8'));
    for (const key of ['factors', 'regularization', 'alpha', 'confidence', 'iterations']) expect(best.train).toHaveProperty(key);
    expect(best.rerank).toHaveProperty('lambda');
    const t = mixtape('train', '--interactions', 'counts.csv', '--config', 'best.json', '--threads', '2', '--out', 'model', '--json');
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const summary = JSON.parse(t.stdout);
    expect(summary.factors).toBe(best.train.factors);
    expect(summary.iterations).toHaveLength(best.train.iterations);
    // Explicit flags override the file.
    const o = mixtape('train', '--interactions', 'counts.csv', '--config', 'best.json', '--factors', '5', '--iterations', '2', '--threads', '2', '--out', 'model2', '--json');
    expect(o.code).toBe(0);
    expect(JSON.parse(o.stdout)).toMatchObject({ factors: 5 });
    expect(JSON.parse(o.stdout).iterations).toHaveLength(2);
  });

  it('reports the budget, and says when it was too small for anything but the defaults and the test', () => {
    const r = mixtape('tune', '--interactions', 'counts.csv', '--budget', '1ms', '--iterations', '4', '--threads', '1', '--log', 'short.jsonl', '--out', 'short.json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\d trials evaluated, 0 from the log, [\d.]+ s of a 1ms budget → short\.json$/m);
    expect(r.stderr).toContain('use it with: mixtape train --config short.json …, then mixtape weekly --config short.json …');
    expect(r.stderr).toMatch(/the budget left no time to search: the defaults trial and the final test trainings alone take about [\d.]+ s on this data/);
    const j = mixtape('tune', '--interactions', 'counts.csv', '--budget', '1ms', '--iterations', '4', '--threads', '1', '--log', 'short.jsonl', '--out', 'short.json', '--json');
    const out = JSON.parse(j.stdout) as { budget: { seconds: number; finishSeconds: number; short: boolean }; trials: { evaluated: number } };
    expect(out.budget).toEqual({ seconds: 0.001, finishSeconds: expect.any(Number), short: true });
    expect(out.budget.finishSeconds).toBeGreaterThan(0);
  });

  it('refuses a log another tune run is writing, and leaves it as it was', async () => {
    // A second run on one log truncated it under the first, whose trials it then read back as its own.
    const lock = await RunLock.acquire(path.join(dir, 'held.jsonl'), 'tune run');
    try {
      await writeFile(path.join(dir, 'held.jsonl'), '{"run":"theirs"}\n');
      const r = mixtape('tune', '--interactions', 'counts.csv', '--budget', '1ms', '--iterations', '4', '--threads', '1', '--log', 'held.jsonl', '--out', 'held.json');
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`mixtape: held.jsonl: another tune run is writing it (process ${process.pid}, since ${JSON.parse(await readFile(lock.file, 'utf8')).since}); wait for it to end, or remove ${lock.file} if that run is gone\n`);
      expect(await readFile(path.join(dir, 'held.jsonl'), 'utf8')).toBe('{"run":"theirs"}\n');
    } finally {
      await lock.release();
    }
  });

  it('rejects a bad config or budget with one line naming the problem', async () => {
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ train: { factors: 8, factor: 3 } }));
    const r = mixtape('train', '--interactions', 'counts.csv', '--config', 'bad.json', '--out', 'x');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.json: train\.factor: unknown key/);
    await writeFile(path.join(dir, 'broken.json'), '{\n  "train": { "factors": 8, }\n}');
    expect(mixtape('train', '--interactions', 'counts.csv', '--config', 'broken.json', '--out', 'x').stderr).toMatch(/broken\.json:2:\d+: invalid JSON/);
    const u = mixtape('tune', '--interactions', 'counts.csv', '--budget', 'soon', '--log', 'l.jsonl', '--out', 'o.json');
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(/duration like 90s/);
    const s = mixtape('evaluate', '--interactions', 'counts.csv', '--split', 'temporal', '--json');
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/temporal needs timestamps/);
  });
});
