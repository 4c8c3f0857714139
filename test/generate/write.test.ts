import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '../../src/types.js';
import { CATALOG_HEADER, CORRUPT_KINDS, EVENTS_HEADER, generateWorld, writeWorld, type Truth } from '../../src/generate/index.js';
import { smallWorld } from './small-world.js';

let dir: string;
let events: string[];
let truth: Truth;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-gen-'));
  await writeWorld(smallWorld(), path.join(dir, 'a'));
  events = (await readFile(path.join(dir, 'a', 'events.csv'), 'utf8')).split('\n');
  truth = JSON.parse(await readFile(path.join(dir, 'a', 'truth.json'), 'utf8')) as Truth;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INTEGER = /^-?\d+$/;

describe('writeWorld', () => {
  it('writes the three files and no temporary ones', async () => {
    expect((await readdir(path.join(dir, 'a'))).sort()).toEqual(['catalog.csv', 'events.csv', 'truth.json']);
  });

  it('events.csv has the documented schema, one row per event, sorted by time', () => {
    const w = smallWorld();
    expect(events[0]).toBe(EVENTS_HEADER);
    expect(events[events.length - 1]).toBe('');
    const rows = events.slice(1, -1);
    expect(rows.length).toBe(w.events.length);
    let prev = -Infinity;
    let problems = 0;
    for (const line of rows) {
      const f = line.split(',');
      if (f.length !== 8) continue; // malformed rows are counted below
      const [user, track, ts, kind, ms, dur, artist, context] = f;
      if (!ISO.test(ts)) problems++;
      const t = Date.parse(ts);
      if (t < prev) problems++;
      prev = t;
      if (!/^(mobile|desktop|web|speaker):(NA|LATAM|EU|AF|AS|OC)$/.test(context)) problems++;
      if (ms !== '' && !INTEGER.test(ms)) continue;
      if (!INTEGER.test(dur) || !/^ar\d+$/.test(artist)) problems++;
      if (user !== '' && !/^u\d+$/.test(user)) problems++;
      if (track !== '' && !/^tr\d+$/.test(track)) problems++;
      if ((kind === 'play' || kind === 'skip') && ms === '') problems++;
      if (['like', 'dislike', 'playlist_add', 'share'].includes(kind) && ms !== '') problems++;
    }
    expect(problems).toBe(0);
  });

  it('corrupt-row counts in truth match what events.csv holds', () => {
    const end = Date.parse(truth.period.end);
    const known = new Set<string>(EVENT_KINDS.filter((k) => k !== 'other'));
    const found = Object.fromEntries(CORRUPT_KINDS.map((k) => [k, 0])) as Record<string, number>;
    const seen = new Map<string, number>();
    for (const line of events.slice(1, -1)) {
      seen.set(line, (seen.get(line) ?? 0) + 1);
      const f = line.split(',');
      if (f.length !== 8 || !INTEGER.test(f[4]) && f[4] !== '') {
        found.malformed_row++;
        continue;
      }
      const [user, track, ts, kind, ms, dur] = f;
      const t = Date.parse(ts);
      if (user === '' || track === '') found.missing_id++;
      else if (!known.has(kind)) found.unknown_event_kind++;
      else if (t >= end) found.future_timestamp++;
      else if (t < Date.UTC(2000, 0, 1)) found.ancient_timestamp++;
      else if (ms !== '' && Number(ms) < 0) found.negative_duration++;
      else if (ms !== '' && Number(ms) > 2 * Number(dur)) found.overlong_play++;
    }
    for (const n of seen.values()) if (n > 1) found.duplicate_event += n - 1;
    expect(found).toEqual(truth.corrupt);
    expect(Object.values(truth.corrupt).reduce((s, n) => s + n, 0)).toBe(40);
    expect(Object.values(truth.corrupt).every((n) => n === 5)).toBe(true);
  });

  it('catalog.csv has the documented schema with features in range', async () => {
    const w = smallWorld();
    const lines = (await readFile(path.join(dir, 'a', 'catalog.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(CATALOG_HEADER);
    expect(lines.length - 1).toBe(w.catalog.tracks.size);
    const genres = new Set(truth.genres);
    let problems = 0;
    for (const line of lines.slice(1)) {
      const f = line.split(',');
      if (f.length !== 12) {
        problems++;
        continue;
      }
      if (!/^tr\d+$/.test(f[0]) || !/^ar\d+$/.test(f[1]) || f[2].length === 0) problems++;
      if (!f[3].split('|').every((g) => genres.has(g))) problems++;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(f[5]) || !INTEGER.test(f[6])) problems++;
      for (const x of f.slice(7, 11)) if (!(Number(x) >= 0 && Number(x) <= 1)) problems++;
      if (!(Number(f[11]) >= 40 && Number(f[11]) <= 220)) problems++;
    }
    expect(problems).toBe(0);
    const released = lines.slice(1).filter((l) => l.split(',')[5] >= '2026-01-05').length;
    expect(released).toBe(30 * 4);
  });

  it('truth.json round-trips the in-memory truth and stays small', async () => {
    expect(truth).toEqual(JSON.parse(JSON.stringify(smallWorld().truth)));
    const bytes = (await readFile(path.join(dir, 'a', 'truth.json'))).length;
    expect(bytes / smallWorld().truth.users.length).toBeLessThan(600);
  });

  it('the same seed writes byte-identical files', async () => {
    const opts = { users: 80, tracks: 500, weeks: 2, seed: 3, corruptRows: 8, bots: { share: 0.05 } };
    await writeWorld(generateWorld(opts), path.join(dir, 'b'));
    await writeWorld(generateWorld(opts), path.join(dir, 'c'));
    await writeWorld(generateWorld({ ...opts, seed: 4 }), path.join(dir, 'd'));
    for (const f of ['events.csv', 'catalog.csv', 'truth.json']) {
      const b = await readFile(path.join(dir, 'b', f));
      expect(b.equals(await readFile(path.join(dir, 'c', f)))).toBe(true);
      expect(b.equals(await readFile(path.join(dir, 'd', f)))).toBe(false);
    }
  });

  it('rejects an empty directory argument', async () => {
    await expect(writeWorld(smallWorld(), '')).rejects.toThrow(/dir/);
  });
});
