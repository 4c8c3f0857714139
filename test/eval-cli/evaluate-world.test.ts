import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../util/cli-process.js';

let dir: string;

const mixtape = cliIn(() => dir);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-eval-world-'));
  const g = mixtape('generate', '--users', '300', '--tracks', '1500', '--weeks', '6', '--seed', '3', '--out', 'world', '--json');
  if (g.code !== 0) throw new Error(g.stderr);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const common = ['--interactions', 'world/events.csv', '--format', 'events', '--catalog', 'world/catalog.csv', '--bootstrap', '100', '--threads', '2'];

describe('mixtape evaluate on a generated event log with a catalog', () => {
  it('temporal split: next-week test, recent popularity, the hybrid and artist metrics', async () => {
    const r = mixtape('evaluate', ...common, '--split', 'temporal', '--json', '--report', 'world.html');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json.summary)).toEqual(['als', 'als+content', 'most-popular', 'recent-popular', 'item-knn', 'random']);
    expect(json.notAvailable).toEqual({});
    expect(json.split).toMatch(/following week/);
    expect(json.ingest).toMatchObject({ file: 'world/events.csv', rows_kept: json.ingest.rows_read, timestamp_format: 'iso8601' });
    const n = json.summary.als.usersEvaluated;
    expect(n).toBeGreaterThan(50);
    for (const name of Object.keys(json.summary)) expect(json.summary[name].usersEvaluated).toBe(n);
    const nd = (name: string) => json.summary[name].means['ndcg@20'];
    expect(nd('als')).toBeGreaterThan(nd('most-popular'));
    expect(nd('als+content')).toBeGreaterThan(nd('most-popular'));
    expect(nd('recent-popular')).toBeGreaterThan(nd('random'));
    const als20 = json.results[0].atK.find((a: { k: number }) => a.k === 20);
    expect(als20.artistDiversity).toBeGreaterThan(0);
    expect(als20.intraListDiversity).toBeGreaterThan(0);
    const html = await readFile(path.join(dir, 'world.html'), 'utf8');
    expect(html).toContain('world/catalog.csv');
    // Example users carry titles and artists from the catalog.
    expect(html).toMatch(/<span class="artist">— ar\d+<\/span>/);
  });

  it('users split: unseen users folded in, every ranker on the same test users', () => {
    const r = mixtape('evaluate', ...common, '--split', 'users', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.split).toMatch(/unseen test users/);
    const users = Number(/(\d+) unseen test users/.exec(json.split)![1]);
    expect(users).toBeGreaterThan(50); // 20% of the users with at least two positives
    expect(users).toBeLessThanOrEqual(60);
    for (const s of Object.values(json.summary) as { usersEvaluated: number }[]) expect(s.usersEvaluated).toBeGreaterThan(50);
    expect(json.summary.als.means['ndcg@20']).toBeGreaterThan(json.summary['most-popular'].means['ndcg@20']);
  });
});
