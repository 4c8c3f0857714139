import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRunConfig, parseRunConfig, trainOptionsOf } from '../../src/config/run-config.js';
import { parseDuration } from '../../src/tune/duration.js';
import { rungIterations } from '../../src/tune/search.js';
import { CfSampler } from '../../src/tune/space.js';
import { TrialLog, trialKey } from '../../src/tune/trial-log.js';
import { TuneCostModel } from '../../src/tune/cost-model.js';
import { runIdentity, type RunIdentity } from '../../src/tune/run-identity.js';
import type { CountsData } from '../../src/eval/run-data.js';
import { Dictionary } from '../../src/data/dictionary.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-tune-parts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run: RunIdentity = { data: '0123456789abcdef', split: 'random', seed: 42, content: null };

describe('tuning parts', () => {
  it('parses budgets', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('20s')).toBe(20_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90')).toBe(90_000);
    for (const bad of ['', 'm', '10x', '-5s', '0s', '5s later']) expect(() => parseDuration(bad), bad).toThrow(/duration/);
  });

  it('estimates trial and finishing costs from the trials seen', () => {
    const c = new TuneCostModel();
    expect(c.calibrated).toBe(false);
    expect(c.trialMs(64, 15, true)).toBe(0);
    c.observeSplit(2000);
    c.observeSplit(1500); // the slowest split is the estimate
    c.observeTrial(64, 15, 960, 64); // 1 ms per iteration·factor, 1 ms per factor of scoring
    c.observeTrial(32, 2, 64, 32);
    expect(c.calibrated).toBe(true);
    expect(c.trialMs(64, 15, false)).toBeCloseTo(960 + 64, 9);
    expect(c.trialMs(128, 5, true)).toBeCloseTo(2000 + 640 + 128, 9);
    expect(c.testMs(64, 15, 2)).toBeCloseTo(2 * (2000 + 1024), 9);
    // The shared model of stages 2-3 (no new split) and the test trainings.
    expect(c.finishMs(64, 15, 1)).toBeCloseTo(1024 + 3024, 9);
    // Rates are averaged by work: a short trial's overhead does not scale up to long ones.
    const d = new TuneCostModel();
    d.observeTrial(10, 100, 1000, 0);
    d.observeTrial(10, 2, 1000, 0);
    expect(d.trialMs(10, 100, false)).toBeCloseTo((2000 / 1020) * 1000, 9);
  });

  it('halves brackets on iterations up to the full count', () => {
    expect(rungIterations(15, 3, 9)).toEqual([2, 5, 15]);
    expect(rungIterations(27, 3, 27)).toEqual([2, 3, 9, 27]);
    expect(rungIterations(8, 3, 2)).toEqual([8]);
  });

  it('samples the same candidates for the same seed and others for another', () => {
    const a = new CfSampler(7, true);
    const b = new CfSampler(7, true);
    const c = new CfSampler(8, true);
    const la = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(la);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(la);
    for (const x of la) {
      expect(x.train.factors).toBeGreaterThanOrEqual(16);
      expect(x.train.regularization).toBeGreaterThan(0);
      expect('halfLifeDays' in x).toBe(true);
    }
    expect('halfLifeDays' in new CfSampler(7, false).next()).toBe(false);
  });

  it('keeps trials in a JSONL log, answers them on resume, tolerates a cut last line and starts afresh without resume', async () => {
    const file = path.join(dir, 'log.jsonl');
    const key = trialKey('cf', { b: 2, a: 1 }, 5);
    expect(key).toBe(trialKey('cf', { a: 1, b: 2 }, 5));
    expect(key).not.toBe(trialKey('cf', { a: 1, b: 2 }, 15));
    const log = new TrialLog(file, false, run);
    log.add({ key, stage: 'cf', params: { a: 1, b: 2 }, iterations: 5, ndcg: 0.25, seconds: 1 });
    await writeFile(file, (await readFile(file, 'utf8')) + '{"key":"cf|15|{}","nd');
    const resumed = new TrialLog(file, true, run);
    expect(resumed.size).toBe(1);
    expect(resumed.get(key)?.ndcg).toBe(0.25);
    expect(resumed.get('nope')).toBeUndefined();
    expect(resumed.reused).toBe(1);
    // The cut line is gone, so the next record is a line of its own and the log resumes again.
    const key2 = trialKey('cf', { a: 3 }, 5);
    resumed.add({ key: key2, stage: 'cf', params: { a: 3 }, iterations: 5, ndcg: 0.5, seconds: 1 });
    const again = new TrialLog(file, true, run);
    expect(again.size).toBe(2);
    expect(again.get(key2)?.ndcg).toBe(0.5);
    // A log in a directory that does not exist yet is created with it.
    expect(new TrialLog(path.join(dir, 'new/dir/log.jsonl'), false, run).size).toBe(0);
    await writeFile(file, `${JSON.stringify({ run })}\ngarbage\n{"key":"x","ndcg":1}\n`);
    expect(() => new TrialLog(file, true, run)).toThrow(/log\.jsonl:2:1/);
    expect(new TrialLog(file, false, run).size).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify({ run })}\n`);
  });

  it('refuses to resume a log of another run, and says how it differs', async () => {
    const file = path.join(dir, 'other.jsonl');
    new TrialLog(file, false, run).add({ key: 'k', stage: 'cf', params: {}, iterations: 5, ndcg: 0.3, seconds: 1 });
    const before = await readFile(file, 'utf8');
    const other = (o: Partial<RunIdentity>): RunIdentity => ({ ...run, ...o });
    expect(() => new TrialLog(file, true, other({ seed: 7 }))).toThrow("other.jsonl: the log's trials were scored on another run (seed 42 there, 7 here); give another --log, or run without --resume to start this one over");
    expect(() => new TrialLog(file, true, other({ data: 'feedfacefeedface', split: 'temporal' }))).toThrow('(the data differ; split random there, temporal here)');
    expect(() => new TrialLog(file, true, other({ content: 'abc' }))).toThrow('(no catalog there)');
    expect(await readFile(file, 'utf8')).toBe(before);
    // A log without the run's line (an older one) is refused too; one cut while naming the run starts over.
    await writeFile(file, '{"key":"k","ndcg":0.3}\n');
    expect(() => new TrialLog(file, true, run)).toThrow('does not say which data, split and seed');
    await writeFile(file, '{"run":{"da');
    expect(new TrialLog(file, true, run).size).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify({ run })}\n`);
  });

  it('names the run by its data: one changed weight, time or shape is another run', () => {
    const ids = (n: number): Dictionary => {
      const d = new Dictionary();
      for (let i = 0; i < n; i++) d.intern(`id${i}`);
      return d;
    };
    const counts = (weight: number[], time?: number[]): CountsData =>
      ({
        kind: 'counts',
        users: ids(2),
        items: ids(3),
        user: Int32Array.from([0, 1, 1]),
        item: Int32Array.from([0, 1, 2]),
        weight: Float32Array.from(weight),
        ...(time ? { time: Float64Array.from(time) } : {}),
        droppedBelowMinWeight: 0,
      }) as unknown as CountsData;
    const a = runIdentity(counts([1, 2, 3]), 'random', 42);
    expect(runIdentity(counts([1, 2, 3]), 'random', 42)).toEqual(a);
    expect(a).toMatchObject({ split: 'random', seed: 42, content: null });
    expect(a.data).toMatch(/^[0-9a-f]{16}$/);
    expect(runIdentity(counts([1, 2, 4]), 'random', 42).data).not.toBe(a.data);
    expect(runIdentity(counts([1, 2, 3], [0, 1, 2]), 'random', 42).data).not.toBe(a.data);
    const withCatalog = runIdentity(counts([1, 2, 3]), 'random', 42, { artist: Int32Array.from([0, 0, 1]) });
    expect(withCatalog.content).toMatch(/^[0-9a-f]{16}$/);
    expect(runIdentity(counts([1, 2, 3]), 'random', 42, { artist: Int32Array.from([0, 1, 1]) }).content).not.toBe(withCatalog.content);
  });

  it('validates run configs strictly and round-trips them', () => {
    const cfg = parseRunConfig({ train: { factors: 32, confidence: 'log' }, signals: { halfLifeDays: 30 }, hybrid: { cf: 1, content: 0.2 }, rerank: { lambda: 0.8, exploration: 0.1, artistCap: 2 } });
    expect(trainOptionsOf(cfg)).toEqual({ factors: 32, confidence: 'log' });
    expect(parseRunConfig(JSON.parse(formatRunConfig(cfg)))).toEqual(cfg);
    expect(() => parseRunConfig({ train: { factors: 0 } }, 'c.json')).toThrow(/c\.json: train\.factors/);
    expect(() => parseRunConfig({ rerank: { lambda: 2 } }, 'c.json')).toThrow(/c\.json: rerank\.lambda/);
    expect(() => parseRunConfig({ extra: 1 }, 'c.json')).toThrow(/c\.json: extra: unknown key/);
    expect(() => parseRunConfig({ signals: { halfLifeDay: 3 } }, 'c.json')).toThrow(/halfLifeDay: unknown key/);
    expect(() => parseRunConfig([], 'c.json')).toThrow(/must be a JSON object/);
  });
});
