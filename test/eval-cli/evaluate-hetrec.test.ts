import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'dist/src/cli/main.js');
const hetrec = path.resolve(root, '../shared/datasets/hetrec2011-lastfm-2k/user_artists.dat');
const present = fs.existsSync(hetrec);
if (!present) console.warn(`skipping the HetRec evaluate test: ${hetrec} not found`);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-eval-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The <svg data-chart="name"> element of the page, or ''. */
function chart(html: string, name: string): string {
  const start = html.indexOf(`<svg data-chart="${name}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</svg>', start));
}

describe.skipIf(!present)('mixtape evaluate on HetRec Last.fm 2k (random 20% hold-out)', () => {
  it('writes a report with every chart carrying data and JSON with ALS ahead of popularity', async () => {
    const config = path.join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ train: { factors: 48, iterations: 15, confidence: 'log', alpha: 1 } }));
    const report = path.join(dir, 'report.html');
    const r = spawnSync(
      process.execPath,
      [bin, 'evaluate', '--interactions', hetrec, '--user-col', 'userID', '--item-col', 'artistID', '--weight-col', 'weight', '--split', 'random', '--config', config, '--report', report, '--json', '--bootstrap', '200'],
      { encoding: 'utf8', env: { ...process.env, CI: '1' } },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    const ndcg20 = (name: string) => json.summary[name].means['ndcg@20'] as number;
    const p10 = (name: string) => json.summary[name].means['precision@10'] as number;
    console.log(`HetRec NDCG@20 als ${ndcg20('als').toFixed(4)}, most-popular ${ndcg20('most-popular').toFixed(4)}, item-knn ${ndcg20('item-knn').toFixed(4)}; P@10 als ${p10('als').toFixed(4)}`);
    expect(Object.keys(json.summary)).toEqual(['als', 'most-popular', 'item-knn', 'random']);
    // Reference figures for this configuration: precision@10 ≈ 0.194, NDCG@20 ≈ 0.277, popularity P@10 ≈ 0.069.
    expect(p10('als')).toBeGreaterThan(0.17);
    expect(ndcg20('als')).toBeGreaterThan(0.25);
    expect(ndcg20('als')).toBeGreaterThan(ndcg20('most-popular'));
    expect(ndcg20('item-knn')).toBeGreaterThan(ndcg20('most-popular'));
    expect(ndcg20('random')).toBeLessThan(0.01);
    // Counts without times: recent popularity is reported as not available, not silently dropped.
    expect(json.notAvailable['recent-popular']).toMatch(/not available/);
    // Intervals per ranker and K.
    const als = json.results.find((x: { ranker: string }) => x.ranker === 'als');
    const at20 = als.atK.find((a: { k: number }) => a.k === 20);
    expect(at20.ndcg.low).toBeLessThan(at20.ndcg.mean);
    expect(at20.ndcg.high).toBeGreaterThan(at20.ndcg.mean);
    const cmp = json.comparisons[0];
    expect(cmp).toMatchObject({ a: 'als', b: 'most-popular', metric: 'ndcg', k: 20 });
    expect(cmp.result.significant).toBe(true);
    expect(cmp.result.low).toBeGreaterThan(0);
    // Training loss falls; re-ranking towards diversity raises diversity and costs accuracy.
    expect(json.trainingLoss).toHaveLength(15);
    expect(json.trainingLoss[14].loss).toBeLessThan(json.trainingLoss[0].loss);
    const pure = json.tradeoff[0];
    const diverse = json.tradeoff[json.tradeoff.length - 1];
    expect(diverse.diversity).toBeGreaterThan(pure.diversity);
    expect(diverse.ndcg).toBeLessThan(pure.ndcg);

    const html = await readFile(report, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const marks = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;
    for (const name of ['ndcg-at-k', 'recall-at-k']) {
      const svg = chart(html, name);
      expect(marks(svg, /<path class="series"/g), name).toBe(4);
      expect(marks(svg, /<circle class="pt"/g), name).toBe(4 * 4);
    }
    expect(marks(chart(html, 'popularity'), /<rect class="bar"/g)).toBeGreaterThan(10);
    expect(marks(chart(html, 'training-loss'), /<circle class="pt"/g)).toBe(15);
    expect(marks(chart(html, 'tradeoff'), /<circle class="pt"/g)).toBe(json.tradeoff.length);
    expect(html).toContain('Example users');
    expect(marks(html, /<div class="example">/g)).toBe(3);
    expect(html).toContain('✓ held out');
    expect(html).toContain('not available: the input has no timestamps');
  });
});
