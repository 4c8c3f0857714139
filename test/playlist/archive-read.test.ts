import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchArchive, parseArchive, readArchive } from '../../src/playlist/archive.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { mulberry32 } from '../reference/random.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-archive-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dictionary(ids: string[]): Dictionary {
  const d = new Dictionary();
  for (const id of ids) d.appendNew(id);
  return d;
}

/** Per user, the sorted distinct tracks of the known pairs: what the archive's rows must hold. */
function plainRows(lines: [string, string][], users: Dictionary, tracks: Dictionary): { rows: number[][]; unknown: number } {
  const sets = Array.from({ length: users.size }, () => new Set<number>());
  let unknown = 0;
  for (const [u, t] of lines) {
    const ui = users.get(u);
    const ti = tracks.get(t);
    if (ui === undefined || ti === undefined) unknown++;
    else sets[ui].add(ti);
  }
  return { rows: sets.map((s) => [...s].sort((a, b) => a - b)), unknown };
}

describe('the archive read: parse the weeks, then match them to the job', () => {
  it('gives every known pair once per user, sorted, and counts the rows whose user or track is unknown', async () => {
    const rng = mulberry32(5);
    const users = dictionary(Array.from({ length: 300 }, (_, u) => `user-${u}`));
    const tracks = dictionary(Array.from({ length: 120 }, (_, t) => `track-${t}`));
    const weeks = ['2026-W01', '2026-W02', '2026-W03'];
    const all: [string, string][] = [];
    for (const week of weeks) {
      const lines: [string, string][] = [];
      // Users grouped, as the job writes them; some users and tracks the model does not hold; repeats across weeks.
      for (let u = 0; u < 340; u += 1 + Math.floor(rng() * 3)) {
        for (let j = 0; j < 1 + Math.floor(rng() * 6); j++) lines.push([`user-${u}`, `track-${Math.floor(rng() * 130)}`]);
      }
      writeFileSync(path.join(dir, `${week}.csv`), ['user_id,track_id', ...lines.map(([u, t]) => `${u},${t}`)].join('\n') + '\n');
      all.push(...lines);
    }
    const parsed = await parseArchive(dir, weeks);
    expect(parsed.rows).toBe(all.length);
    // A run per change of user, not per row.
    expect(parsed.runUser.length).toBeLessThan(all.length / 2);
    // Ids interned in order of first appearance.
    expect(parsed.users.ids).toEqual([...new Set(all.map(([u]) => u))]);
    expect(parsed.tracks.ids).toEqual([...new Set(all.map(([, t]) => t))]);
    const got = matchArchive(parsed, users, tracks);
    const want = plainRows(all, users, tracks);
    expect(got.unknown).toBe(want.unknown);
    expect(want.unknown).toBeGreaterThan(0);
    const rows = Array.from({ length: users.size }, (_, u) => Array.from(got.rows.indices.subarray(got.rows.indptr[u], got.rows.indptr[u + 1])));
    expect(rows).toEqual(want.rows);
    expect(got.pairs).toBe(want.rows.reduce((s, r) => s + r.length, 0));
    // In shared memory: the weekly job's workers read the rows without a copy.
    expect([got.rows.indptr.buffer, got.rows.indices.buffer].every((b) => b instanceof SharedArrayBuffer)).toBe(true);
    // readArchive is the two steps in one.
    expect(await readArchive(dir, weeks, users, tracks)).toEqual(got);
  });

  it('keeps every row across the chunks its tracks are stored in (over a million rows)', async () => {
    const n = 1_100_000;
    const lines: [string, string][] = Array.from({ length: n }, (_, i) => [`u${Math.floor(i / 7)}`, `t${(i * 31) % 503}`]);
    writeFileSync(path.join(dir, '2026-W30.csv'), ['user_id,track_id', ...lines.map(([u, t]) => `${u},${t}`)].join('\n') + '\n');
    const users = dictionary(Array.from({ length: Math.ceil(n / 7) + 5 }, (_, u) => `u${u}`));
    const tracks = dictionary(Array.from({ length: 500 }, (_, t) => `t${t}`));
    const parsed = await parseArchive(dir, ['2026-W30']);
    expect(parsed.rows).toBe(n);
    expect(parsed.trackChunks.length).toBe(2);
    const got = matchArchive(parsed, users, tracks);
    const want = plainRows(lines, users, tracks);
    expect(got.unknown).toBe(want.unknown);
    expect(got.pairs).toBe(want.rows.reduce((s, r) => s + r.length, 0));
    for (const u of [0, 1, 149_795, 149_796, 157_142]) {
      expect(Array.from(got.rows.indices.subarray(got.rows.indptr[u], got.rows.indptr[u + 1])), `user ${u}`).toEqual(want.rows[u]);
    }
  });

  it('matches to users appended after the model (new listeners) and skips ids that are not UTF-8', async () => {
    writeFileSync(path.join(dir, '2026-W10.csv'), Buffer.concat([Buffer.from('user_id,track_id\nnew-1,b\nu0,a\n'), Buffer.from([0xff, 0xfe]), Buffer.from(',a\nu0,\xff\n', 'latin1'), Buffer.from('new-1,a\n')]));
    const parsed = await parseArchive(dir, ['2026-W10']);
    const users = dictionary(['u0', 'new-1']);
    const got = matchArchive(parsed, users, dictionary(['a', 'b']));
    expect(Array.from(got.rows.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(got.rows.indices)).toEqual([0, 0, 1]);
    expect(got.unknown).toBe(2);
  });

  it('reads no weeks, or a header alone, as no rows; and names a file without the columns', async () => {
    const users = dictionary(['u0']);
    const tracks = dictionary(['a']);
    expect(await readArchive(dir, [], users, tracks)).toEqual({ rows: { indptr: Int32Array.of(0, 0), indices: new Int32Array(0) }, pairs: 0, unknown: 0 });
    writeFileSync(path.join(dir, '2026-W20.csv'), 'user_id,track_id\n');
    expect((await readArchive(dir, ['2026-W20'], users, tracks)).pairs).toBe(0);
    writeFileSync(path.join(dir, '2026-W21.csv'), 'user,track\nu0,a\n');
    await expect(parseArchive(dir, ['2026-W21'])).rejects.toThrow(/2026-W21\.csv:1:1: archive files need the columns user_id and track_id, got user, track/);
  });
});
