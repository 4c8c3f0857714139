/**
 * --pseudonymize end to end through the real CLI: train and recommend on a crafted log, then scan
 * every byte of every written file (and the console output) for every raw user id; decode the
 * Parquet id columns too, since compression could hide a raw id from a byte scan. `reveal` must
 * give back exactly the output of the same run without pseudonyms.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readCounts, readEvents } from '../../src/data/index.js';
import { Model } from '../../src/model/model.js';
import { createPseudonymizer, isPseudonymToken, pseudonymToken } from '../../src/privacy/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'dist/src/cli/main.js');
const KEY = 'k3y-for-tests-only-7f1c9a2b';
let dir: string;

function mixtape(args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, MIXTAPE_PSEUDONYM_KEY: undefined, CI: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Ids that differ only in case are distinct ids; one needs CSV quoting, one is not ASCII.
const rawUsers = [...Array.from({ length: 24 }, (_, i) => `listener-${String(i).padStart(3, '0')}@example.org`), 'User1', 'user1', 'Bob, Jr.', 'zoë'];
const T0 = Date.UTC(2024, 0, 1);

function quote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every file under `d`, recursively. */
function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = path.join(d, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function rawIdsIn(bytes: Buffer): string[] {
  return rawUsers.filter((u) => bytes.includes(Buffer.from(u, 'utf8')));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-privacy-'));
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows = ['user_id,track_id,timestamp,event,ms_played'];
  for (const [u, id] of rawUsers.entries()) {
    // Two taste groups so training has something to learn.
    for (let j = 0; j < 14; j++) {
      const track = (u % 2) * 15 + Math.floor(next() * 15);
      rows.push(`${quote(id)},t${track},${T0 + Math.floor(next() * 20 * 86_400_000)},play,${30_000 + Math.floor(next() * 100_000)}`);
    }
  }
  writeFileSync(path.join(dir, 'events.csv'), rows.join('\n') + '\n');
  writeFileSync(path.join(dir, 'ids.txt'), 'user_id\n' + rawUsers.join('\n') + '\n');
  writeFileSync(path.join(dir, 'key.bin'), KEY + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trainArgs = (out: string) => ['train', '--interactions', 'events.csv', '--format', 'events', '--factors', '4', '--iterations', '4', '--threads', '1', '--out', out, '--json'];

describe('--pseudonymize', () => {
  it('refuses to run without a key, or with a short one, and writes nothing', () => {
    const r = mixtape([...trainArgs('nokey'), '--pseudonymize']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('mixtape: pseudonymization needs a key: set MIXTAPE_PSEUDONYM_KEY or pass --key-file FILE\n');
    const short = mixtape([...trainArgs('nokey'), '--pseudonymize'], { MIXTAPE_PSEUDONYM_KEY: 'short' });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/MIXTAPE_PSEUDONYM_KEY is 5 bytes; use at least 16 random bytes/);
    const missing = mixtape([...trainArgs('nokey'), '--pseudonymize', '--key-file', 'no-such.key']);
    expect(missing.stderr).toMatch(/no-such\.key: cannot read the pseudonym key file \(ENOENT\)/);
    expect(readdirSync(dir).some((f) => f.includes('nokey'))).toBe(false);
  });

  it('keeps every raw user id out of the model, recommendations and console output; reveal restores them exactly', async () => {
    // The same run without pseudonyms: the control, and the expected result of reveal.
    const plain = mixtape(trainArgs('plain-model'));
    expect(plain.code).toBe(0);
    expect(mixtape(['recommend', '--model', 'plain-model', '--n', '5', '--out', 'plain-recs.csv']).code).toBe(0);
    // The control shows the scan can fail: raw ids are in the plain outputs.
    expect(rawIdsIn(readFileSync(path.join(dir, 'plain-recs.csv')))).toEqual(rawUsers);
    expect((await Model.load(path.join(dir, 'plain-model'))).userIds).toEqual(rawUsers);

    const before = new Set(filesUnder(dir));
    const env = { MIXTAPE_PSEUDONYM_KEY: KEY };
    const t = mixtape([...trainArgs('model'), '--pseudonymize'], env);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const r = mixtape(['recommend', '--model', 'model', '--n', '5', '--out', 'recs.csv'], env);
    expect(r.code).toBe(0);

    const written = filesUnder(dir).filter((f) => !before.has(f));
    expect(written.map((f) => path.relative(dir, f)).sort()).toEqual(expect.arrayContaining(['model/manifest.json', 'model/users.parquet', 'recs.csv']));
    for (const file of written) {
      const bytes = readFileSync(file);
      expect(rawIdsIn(bytes), file).toEqual([]);
      expect(bytes.includes(Buffer.from(KEY)), `${file} holds the key`).toBe(false);
    }
    for (const text of [t.stdout, t.stderr, r.stdout, r.stderr]) {
      expect(rawIdsIn(Buffer.from(text))).toEqual([]);
      expect(text).not.toContain(KEY);
    }
    // Decoded ids (Parquet may compress them out of a byte scan's sight) are all tokens.
    const model = await Model.load(path.join(dir, 'model'));
    expect(model.userIds).toEqual(rawUsers.map((u) => pseudonymToken(new TextEncoder().encode(KEY), u)));
    expect(model.userIds.every(isPseudonymToken)).toBe(true);
    expect(new Set(model.userIds).size).toBe(rawUsers.length); // "User1" and "user1" stay distinct

    const plainRecs = readFileSync(path.join(dir, 'plain-recs.csv'), 'utf8');
    const viaIds = mixtape(['reveal', '--in', 'recs.csv', '--ids', 'ids.txt', '--out', 'revealed-ids.csv', '--json'], env);
    expect(viaIds.code).toBe(0);
    expect(JSON.parse(viaIds.stdout)).toEqual({ rows: rawUsers.length * 5, revealed: rawUsers.length * 5, unknown: 0 });
    expect(readFileSync(path.join(dir, 'revealed-ids.csv'), 'utf8')).toBe(plainRecs);
    const viaEvents = mixtape(['reveal', '--in', 'recs.csv', '--events', 'events.csv', '--out', 'revealed-events.csv', '--key-file', 'key.bin']);
    expect(viaEvents.code).toBe(0);
    expect(readFileSync(path.join(dir, 'revealed-events.csv'), 'utf8')).toBe(plainRecs);
    // Only the user column is read: an interactions file of the same listeners does as well.
    writeFileSync(path.join(dir, 'counts.csv'), 'item_id,USER_ID,weight\n' + rawUsers.map((u) => `t1,"${u.replace(/"/g, '""')}",1`).join('\n') + '\n');
    const viaCounts = mixtape(['reveal', '--in', 'recs.csv', '--events', 'counts.csv', '--out', 'revealed-counts.csv', '--key-file', 'key.bin']);
    expect(viaCounts.code, viaCounts.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'revealed-counts.csv'), 'utf8')).toBe(plainRecs);
    // A log without a user id would reveal nothing: refused, and no output made.
    writeFileSync(path.join(dir, 'no-users.csv'), 'user_id,track_id,timestamp\n,t1,2024-01-01T00:00:00Z\n');
    const noUsers = mixtape(['reveal', '--in', 'recs.csv', '--events', 'no-users.csv', '--out', 'revealed-none.csv', '--key-file', 'key.bin']);
    expect(noUsers.code).toBe(1);
    expect(noUsers.stderr).toBe('mixtape: no-users.csv: no user ids\n');
    expect(existsSync(path.join(dir, 'revealed-none.csv'))).toBe(false);

    // Without the right key nothing maps back.
    const wrong = mixtape(['reveal', '--in', 'recs.csv', '--ids', 'ids.txt', '--out', 'wrong.csv', '--json'], { MIXTAPE_PSEUDONYM_KEY: 'another-key-of-20-bytes' });
    expect(wrong.stderr).toBe('');
    expect(JSON.parse(wrong.stdout)).toMatchObject({ revealed: 0, unknown: rawUsers.length * 5 });
  });

  it('runs the weekly job on a pseudonymized model only under the key it was trained with', async () => {
    // Uses the models of the test above.
    const manifest = JSON.parse(readFileSync(path.join(dir, 'model', 'manifest.json'), 'utf8'));
    expect(manifest.extensions.pseudonyms).toEqual({ scheme: 'hmac-sha256-128', keyCheck: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(JSON.parse(readFileSync(path.join(dir, 'plain-model', 'manifest.json'), 'utf8')).extensions?.pseudonyms).toBeUndefined();
    const weekly = (model: string, out: string, extra: string[], env: Record<string, string> = {}) =>
      mixtape(['weekly', '--model', model, '--events', 'events.csv', '--as-of', '2024-01-22', '--size', '5', '--threads', '1', '--out', out, ...extra], env);

    const noKey = weekly('model', 'w1.csv', []);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toBe('mixtape: weekly: the model in model was trained with --pseudonymize (its user ids are tokens); run with --pseudonymize and the same key\n');
    const otherKey = weekly('model', 'w2.csv', ['--pseudonymize'], { MIXTAPE_PSEUDONYM_KEY: 'another-key-of-20-bytes' });
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toMatch(/the pseudonym key is not the one the model in model was trained with/);
    const rawModel = weekly('plain-model', 'w3.csv', ['--pseudonymize'], { MIXTAPE_PSEUDONYM_KEY: KEY });
    expect(rawModel.code).toBe(1);
    expect(rawModel.stderr).toMatch(/holds raw user ids \(trained without --pseudonymize\)/);
    expect(readdirSync(dir).some((f) => /^w[123]\.csv/.test(f))).toBe(false);

    const ok = weekly('model', 'week.csv', ['--pseudonymize'], { MIXTAPE_PSEUDONYM_KEY: KEY });
    expect(ok.stderr).not.toMatch(/mixtape:/);
    expect(ok.code).toBe(0);
    const users = new Set(readFileSync(path.join(dir, 'week.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    // Every listener is the model's own token: none is taken for a newcomer under a raw id.
    expect(users).toEqual(new Set((await Model.load(path.join(dir, 'model'))).userIds));
    expect(rawIdsIn(readFileSync(path.join(dir, 'week.csv')))).toEqual([]);

    // reveal takes the job's JSON Lines and Parquet outputs too, giving the plain run's rows.
    const rows = (file: string) => arrow.tableFromIPC(pw.readParquet(readFileSync(path.join(dir, file))).intoIPCStream()).toArray().map((r) => r.toJSON());
    for (const ext of ['jsonl', 'parquet']) {
      expect(weekly('plain-model', `plain-week.${ext}`, []).code).toBe(0);
      expect(weekly('model', `week.${ext}`, ['--pseudonymize'], { MIXTAPE_PSEUDONYM_KEY: KEY }).code).toBe(0);
      expect(rawIdsIn(readFileSync(path.join(dir, `week.${ext}`)))).toEqual([]);
      const r = mixtape(['reveal', '--in', `week.${ext}`, '--ids', 'ids.txt', '--out', `revealed-week.${ext}`, '--json'], { MIXTAPE_PSEUDONYM_KEY: KEY });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ rows: rawUsers.length * 5, revealed: rawUsers.length * 5, unknown: 0 });
      // Without --json, off a terminal, progress lines at the interval asked for (here: every update).
      const shown = mixtape(['reveal', '--in', `week.${ext}`, '--events', 'events.csv', '--out', `shown-week.${ext}`], { MIXTAPE_PSEUDONYM_KEY: KEY, MIXTAPE_PROGRESS_INTERVAL: '0.000001' });
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stderr).toMatch(/^reading user ids: 0\/1 MB \(0%\)/m);
      expect(shown.stderr).toMatch(ext === 'parquet' ? new RegExp(`^revealing: ${(rawUsers.length * 5).toLocaleString('en-US')}/${(rawUsers.length * 5).toLocaleString('en-US')} rows \\(100%\\)`, 'm') : /^revealing: 0\/1 MB \(0%\)/m);
    }
    expect(readFileSync(path.join(dir, 'revealed-week.jsonl'), 'utf8')).toBe(readFileSync(path.join(dir, 'plain-week.jsonl'), 'utf8'));
    expect(rows('revealed-week.parquet')).toEqual(rows('plain-week.parquet'));
    const mixed = mixtape(['reveal', '--in', 'week.parquet', '--ids', 'ids.txt', '--out', 'x.csv'], { MIXTAPE_PSEUDONYM_KEY: KEY });
    expect(mixed.stderr).toBe("mixtape: reveal: x.csv would not be in the format of week.parquet; the copy keeps the input's format (give --out a name like it)\n");
  });

  it('reveal names its input problems', () => {
    const env = { MIXTAPE_PSEUDONYM_KEY: KEY };
    expect(mixtape(['reveal', '--in', 'events.csv', '--out', 'x.csv'], env).stderr).toMatch(/give exactly one of --ids FILE or --events FILE/);
    writeFileSync(path.join(dir, 'no-user.csv'), 'rank,track_id\n1,t1\n');
    expect(mixtape(['reveal', '--in', 'no-user.csv', '--ids', 'ids.txt', '--out', 'x.csv'], env).stderr).toMatch(/no-user\.csv: missing column 'user_id'/);
    expect(mixtape(['reveal', '--in', 'no-user.csv', '--ids', 'ids.txt', '--out', 'x.csv']).stderr).toMatch(/needs a key/);
    expect(readdirSync(dir)).not.toContain('x.csv');
  });

  it('is a module option of readEvents and readCounts with the same tokens', async () => {
    const key = new TextEncoder().encode(KEY);
    const pseudonymize = createPseudonymizer(key);
    const { log } = await readEvents(path.join(dir, 'events.csv'), { pseudonymize });
    expect(log.users.ids).toEqual(rawUsers.map((u) => pseudonymToken(key, u)));
    writeFileSync(path.join(dir, 'counts.csv'), 'user_id,item_id,weight\nUser1,a,1\nuser1,a,2\n');
    const counts = await readCounts(path.join(dir, 'counts.csv'), { pseudonymize });
    expect(counts.users.ids).toEqual([pseudonymToken(key, 'User1'), pseudonymToken(key, 'user1')]);
    expect(counts.users.ids[0]).toMatch(/^u_[0-9a-f]{32}$/);
    expect(() => createPseudonymizer(new Uint8Array(8))).toThrow(/at least 16/);
  });
});
