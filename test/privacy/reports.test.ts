/**
 * --pseudonymize on the commands that write reports: the signals report and the evaluation
 * report (HTML with example users, and its JSON) must hold no raw user id.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');
const KEY = 'report-test-key-2f9d61e0';
const users = Array.from({ length: 40 }, (_, i) => `person.${i}@example.net`);
let dir: string;

const run = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1', MIXTAPE_PSEUDONYM_KEY: KEY } });
const leaks = (text: string): string[] => users.filter((u) => text.includes(u));

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-privacy-reports-'));
  const t0 = Date.UTC(2024, 2, 1);
  const rows = ['user_id,track_id,timestamp,event,ms_played'];
  users.forEach((u, i) => {
    for (let j = 0; j < 20; j++) rows.push(`${u},t${(i % 2) * 20 + ((i * 7 + j * 3) % 20)},${t0 + (i * 20 + j) * 3_600_000},play,${60_000 + j * 1000}`);
  });
  writeFileSync(path.join(dir, 'events.csv'), rows.join('\n') + '\n');
  const counts = ['user_id,item_id,weight', ...users.flatMap((u, i) => Array.from({ length: 12 }, (_, j) => `${u},a${(i % 2) * 12 + j},${1 + j}`))];
  writeFileSync(path.join(dir, 'counts.csv'), counts.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--pseudonymize on reports', () => {
  it('keeps raw ids out of the signals report', () => {
    const r = run(['signals', '--events', 'events.csv', '--as-of', '2024-04-01', '--report', 'signals.json', '--pseudonymize', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(leaks(readFileSync(path.join(dir, 'signals.json'), 'utf8'))).toEqual([]);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });

  it('keeps raw ids out of the evaluation report and its JSON', () => {
    const r = run(['evaluate', '--interactions', 'counts.csv', '--split', 'random', '--report', 'report.html', '--json', '--pseudonymize']);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/u_[0-9a-f]{32}/);
    expect(leaks(html)).toEqual([]);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });
});
