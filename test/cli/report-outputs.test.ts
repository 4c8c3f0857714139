/**
 * Reports are written as their names say: `signals --report r.json.gz` and `bench --json` are
 * gzip under a .gz name, and `evaluate --report` is JSON under a .json name, else the HTML page.
 * A .gz name held plain text before, and `evaluate --report rep.json` held HTML.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../util/cli-process.js';

let dir: string;
const mixtape = cliIn(() => dir);
const read = (f: string) => readFileSync(path.join(dir, f));

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-report-out-'));
  const g = mixtape('generate', '--users', '300', '--tracks', '400', '--weeks', '2', '--seed', '3', '--out', 'world');
  expect(g.code, g.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report outputs', () => {
  it('signals: a .gz report is the gzip of the plain one', () => {
    for (const report of ['r.json', 'r.json.gz']) {
      const r = mixtape('signals', '--events', 'world/events.csv', '--as-of', '2026-01-19', '--report', report);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(gunzipSync(read('r.json.gz')).equals(read('r.json'))).toBe(true);
    expect(JSON.parse(read('r.json').toString()).validation).toBeTypeOf('object');
  });

  it('evaluate: JSON under a .json name (what --json prints), the HTML page otherwise', () => {
    const args = ['evaluate', '--interactions', 'world/events.csv', '--format', 'events', '--bootstrap', '50', '--threads', '2'];
    const j = mixtape(...args, '--report', 'rep.json', '--json');
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(read('rep.json').toString())).toEqual(JSON.parse(j.stdout));
    const h = mixtape(...args, '--report', 'rep.html.gz');
    expect(h.code, h.stderr).toBe(0);
    expect(gunzipSync(read('rep.html.gz')).toString()).toMatch(/^<!doctype html>/i);
  }, 60_000);
});
