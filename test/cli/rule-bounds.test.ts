import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/cli/options.js';
import { readEvents } from '../../src/data/index.js';
import { cliIn } from '../util/cli-process.js';

let dir: string;
const mixtape = cliIn(() => dir);

// A log reaching back to 1995 (as MovieLens's ratings do), and one play 3 s longer than its track.
const EVENTS = [
  'user_id,track_id,timestamp,event,ms_played,track_duration_ms',
  'u1,t1,1995-06-01T00:00:00Z,play,100000,200000',
  'u1,t2,2005-06-01T00:00:00Z,play,203000,200000',
  'u2,t1,2005-06-02T00:00:00Z,play,100000,200000',
  'u2,t2,2005-06-03T00:00:00Z,play,150000,200000',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-bounds-'));
  await writeFile(path.join(dir, 'events.csv'), `${EVENTS}\n`);
  await writeFile(path.join(dir, 'counts.csv'), 'user_id,item_id,weight\nu1,t1,1\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validation(...flags: string[]): Promise<Record<string, number>> {
  const r = mixtape('signals', '--events', 'events.csv', '--as-of', '2006-01-01', '--report', 'report.json', ...flags);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')).validation;
}

describe('--min-date and --duration-tolerance', () => {
  it('move the bounds of ancient_timestamp and overlong_play on the commands that read events', async () => {
    expect(await validation()).toMatchObject({ ancient_timestamp: 1, overlong_play: 0 });
    expect(await validation('--min-date', '1990-01-01')).toMatchObject({ ancient_timestamp: 0, overlong_play: 0 });
    expect(await validation('--duration-tolerance', '1000')).toMatchObject({ ancient_timestamp: 1, overlong_play: 1 });
    expect(await validation('--min-date', '2005-06-02', '--duration-tolerance', '0')).toMatchObject({ ancient_timestamp: 2, overlong_play: 0 });
    const t = mixtape('train', '--interactions', 'events.csv', '--format', 'events', '--as-of', '2006-01-01', '--min-date', '1990-01-01', '--factors', '2', '--iterations', '1', '--out', 'model', '--json');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).ingest.validation).toMatchObject({ ancient_timestamp: 0 });
  });

  it('refuse epoch numbers and other spellings for --min-date, a bound after --as-of, and counts files', () => {
    for (const bad of ['19950101', '788918400', 'last year', '1995-13-01']) {
      expect(() => isoDate(bad)).toThrow(InvalidArgumentError);
      expect(() => isoDate(bad)).toThrow(`got '${bad}'`);
    }
    expect(isoDate('1995-01-01')).toBe(Date.UTC(1995, 0, 1));
    const usage = mixtape('signals', '--events', 'events.csv', '--report', 'r.json', '--min-date', '19950101');
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("option '--min-date <date>' argument '19950101' is invalid");
    const late = mixtape('signals', '--events', 'events.csv', '--as-of', '2006-01-01', '--min-date', '2007-01-01', '--report', 'r.json');
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('asOf (2006-01-01T00:00:00.000Z) must be after minEpochMs (2007-01-01T00:00:00.000Z): every event would be dropped');
    // A log that ends before 2000 is weighed as of then once --min-date lets its rows in.
    const old = mixtape('signals', '--events', 'events.csv', '--as-of', '1995-07-01', '--report', 'r.json');
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('asOf (1995-07-01T00:00:00.000Z) must be after the default minEpochMs, 2000-01-01 (2000-01-01T00:00:00.000Z)');
    expect(mixtape('signals', '--events', 'events.csv', '--as-of', '1995-07-01', '--min-date', '1990-01-01', '--report', 'r.json').code).toBe(0);
    const counts = mixtape('train', '--interactions', 'counts.csv', '--min-date', '1990-01-01', '--out', 'm');
    expect(counts.code).toBe(1);
    expect(counts.stderr).toContain('--min-date bounds event timestamps: it applies to event logs (--format events), not counts files');
    expect(mixtape('train', '--interactions', 'counts.csv', '--duration-tolerance', '0', '--out', 'm').stderr).toContain('--duration-tolerance bounds play times');
  });

  it('refuse a negative tolerance through the API', async () => {
    await expect(readEvents(path.join(dir, 'events.csv'), { durationToleranceMs: -1 })).rejects.toThrow('durationToleranceMs must be ≥ 0, got -1');
  });
});
