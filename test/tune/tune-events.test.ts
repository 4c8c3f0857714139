import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../util/cli-process.js';
import { defaultSignalsConfig } from '../../src/signals/index.js';

let dir: string;

const mixtape = cliIn(() => dir);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-tune-events-'));
  const g = mixtape('generate', '--users', '250', '--tracks', '1200', '--weeks', '6', '--seed', '5', '--out', 'world', '--json');
  if (g.code !== 0) throw new Error(g.stderr);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mixtape tune on an event log with a catalog', () => {
  it('tunes the decay half-life, the content weight and re-ranking on a validation week before the test week', async () => {
    const r = mixtape('tune', '--interactions', 'world/events.csv', '--format', 'events', '--catalog', 'world/catalog.csv', '--split', 'temporal', '--budget', '10m', '--trials', '4', '--iterations', '6', '--threads', '2', '--log', 'tune.jsonl', '--out', 'best.json', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.validation.best).toBeGreaterThanOrEqual(out.validation.defaults);
    const [head, ...trials] = (await readFile(path.join(dir, 'tune.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    // The log's first line names the run its trials belong to, catalog included.
    expect(head.run).toMatchObject({ split: 'temporal', seed: 42, data: expect.stringMatching(/^[0-9a-f]{16}$/), content: expect.stringMatching(/^[0-9a-f]{16}$/) });
    // The cap, not the machine's speed, ends the CF search: four trials on any machine.
    expect(out.trials).toMatchObject({ search: 4, maxTrials: 4 });
    expect(trials.filter((t) => t.stage === 'cf')).toHaveLength(4);
    const stages = new Set(trials.map((t) => t.stage));
    expect(stages).toEqual(new Set(['defaults', 'cf', 'content', 'rerank']));
    // The bar to beat is the engine's own default half-life.
    expect(trials.find((t) => t.stage === 'defaults').params.halfLifeDays).toBe(defaultSignalsConfig().halfLifeDays);
    const best = JSON.parse(await readFile(path.join(dir, 'best.json'), 'utf8'));
    expect(best.signals).toHaveProperty('halfLifeDays');
    expect(best.hybrid).toHaveProperty('content');
    expect(best.rerank).toHaveProperty('artistCap');
    const t = mixtape('train', '--interactions', 'world/events.csv', '--format', 'events', '--config', 'best.json', '--threads', '2', '--out', 'model', '--json');
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).factors).toBe(best.train.factors);
  });
});
