import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn, runCli } from '../util/cli-process.js';
import { CORRUPT_KINDS } from '../../src/generate/index.js';

let dir: string;
let end: string;
let truth: { corrupt: Record<string, number>; bots: { farms: { accounts: string[] }[] } };

const mixtape = cliIn(() => dir);

const AS_OF = '2024-01-01T00:00:00.000Z';
const T = Date.UTC(2023, 5, 1, 12);
/** One crafted row per validation rule (line numbers in comments) and rows that are kept. */
const RULES = [
  'user_id,track_id,timestamp,event,ms_played,track_duration_ms',
  `u1,t1,${T},play,1000,200000`, // 2 kept
  `u1,t1,${T},play,1000,200000`, // 3 duplicate_event
  `,t2,${T},play,1,`, // 4 missing_id
  `u2,t2,yesterday,play,1,`, // 5 bad_timestamp
  `u2,t2,${Date.parse(AS_OF) + 1},play,1,`, // 6 future_timestamp
  `u2,t2,${Date.UTC(1990, 0, 1)},play,1,`, // 7 ancient_timestamp
  `u2,t2,${T},play,-5,`, // 8 negative_duration
  `u2,t3,${T + 2},play,300000,200000`, // 9 overlong_play
  `u3,t4,${T + 4},dance,,`, // 10 unknown_event_kind (kept as other)
  `u3,t4,${T + 5},play,abc,`, // 11 malformed_row
  `u4,t5,${T},play,200000,200000`, // 12 kept
].join('\n') + '\n';

const RENAMED_HEADER = 'listener,song,ts,event_type,msPlayed,length_ms';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-signals-'));
  const g = mixtape('generate', '--users', '200', '--tracks', '1500', '--weeks', '3', '--seed', '5', '--corrupt-rows', '80', '--bots', '0.05', '--out', 'w');
  expect(g.code).toBe(0);
  truth = JSON.parse(await readFile(path.join(dir, 'w/truth.json'), 'utf8'));
  end = (JSON.parse(await readFile(path.join(dir, 'w/truth.json'), 'utf8')) as { period: { end: string } }).period.end;
  await writeFile(path.join(dir, 'rules.csv'), RULES);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mixtape signals', () => {
  it('reports validation counts equal to the corruption injected into a generated world', async () => {
    const r = mixtape('signals', '--events', 'w/events.csv', '--as-of', end, '--report', 'report.json', '--skip-bad');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // What was read comes first, stating how the timestamps were read.
    expect(r.stdout).toMatch(/^read w\/events\.csv: [\d,]+ rows, [\d,]+ kept; timestamps: ISO-8601 text; malformed_row 10, .*\nsignals as of /);
    expect(r.stdout).toContain('judged not human');
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    for (const kind of CORRUPT_KINDS) expect({ kind, n: report.validation[kind] }).toEqual({ kind, n: truth.corrupt[kind] });
    expect(Object.values(truth.corrupt).every((n) => n === 10)).toBe(true);
    // Every account with trust < 1, each with reasons; every planted bot among the least trusted.
    expect(report.accounts.length).toBe(report.totals.flagged_accounts);
    for (const a of report.accounts) {
      expect(a.trust).toBeLessThan(1);
      expect(a.reasons.length).toBeGreaterThan(0);
    }
    const lowTrust = new Set(report.accounts.filter((a: { trust: number }) => a.trust < 0.5).map((a: { user_id: string }) => a.user_id));
    for (const f of truth.bots.farms) for (const id of f.accounts) expect(lowTrust.has(id)).toBe(true);
    expect(report.tracks.length).toBeGreaterThan(0);
    for (const t of report.tracks) expect(t).toEqual({ track_id: expect.any(String), reasons: expect.any(Array) });
    expect(await readdir(dir)).not.toContain(expect.stringMatching(/^\.report\.json/));
  });

  it('counts every rule of a crafted bad file, and --json prints the written report', async () => {
    const r = mixtape('signals', '--events', 'rules.csv', '--as-of', AS_OF, '--report', 'rules.json', '--skip-bad', '--json');
    expect(r.code).toBe(0);
    const written = await readFile(path.join(dir, 'rules.json'), 'utf8');
    expect(r.stdout).toBe(written);
    const report = JSON.parse(written);
    expect(report.validation).toEqual({
      malformed_row: 1,
      missing_id: 1,
      bad_timestamp: 1,
      future_timestamp: 1,
      ancient_timestamp: 1,
      too_old: 0,
      negative_duration: 1,
      overlong_play: 1,
      duplicate_event: 1,
      unknown_event_kind: 1,
    });
    expect(report.totals.events).toBe(3);
    expect(report.totals.other_events).toBe(1);
    expect(report.asOf).toBe(AS_OF);
    expect(report.ingest).toEqual({
      file: 'rules.csv',
      rows_read: 11,
      rows_kept: 3,
      timestamp_format: 'epoch_ms',
      columns: { user_id: 'user_id', track_id: 'track_id', timestamp: 'timestamp', event: 'event', ms_played: 'ms_played', track_duration_ms: 'track_duration_ms', artist_id: null, context: null },
      validation: report.validation,
    });
  });

  it('fails with one line naming file:line and the rule in strict mode, writing no report', async () => {
    const s = mixtape('signals', '--events', 'rules.csv', '--as-of', AS_OF, '--report', 'strict.json', '--skip-bad', '--strict');
    expect(s.code).toBe(1);
    expect(s.stderr.trim().split('\n')).toHaveLength(1);
    expect(s.stderr).toMatch(/rules\.csv:3: duplicate_event/);
    const m = mixtape('signals', '--events', 'rules.csv', '--as-of', AS_OF, '--report', 'strict.json');
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/rules\.csv:11: column 'ms_played'/);
    expect((await readdir(dir)).some((f) => f.includes('strict.json'))).toBe(false);
  });

  it('reads a log whose columns are named differently with the column flags, and says when the event kind is missing', async () => {
    const renamed = RENAMED_HEADER + '\n' + RULES.split('\n').slice(1).join('\n');
    await writeFile(path.join(dir, 'renamed.csv'), renamed);
    const flags = ['--user-col', 'listener', '--item-col', 'song', '--time-col', 'ts', '--event-col', 'event_type', '--ms-played-col', 'msPlayed', '--duration-col', 'length_ms'];
    const named = mixtape('signals', '--events', 'renamed.csv', '--as-of', AS_OF, '--report', 'renamed.json', '--skip-bad', ...flags);
    expect(named.code).toBe(0);
    const plain = JSON.parse(await readFile(path.join(dir, 'rules.json'), 'utf8'));
    const report = JSON.parse(await readFile(path.join(dir, 'renamed.json'), 'utf8'));
    // The same rows as the file with the schema's names, so the same figures.
    expect(report.validation).toEqual(plain.validation);
    expect(report.totals).toEqual(plain.totals);
    expect(report.ingest.columns).toMatchObject({ user_id: 'listener', event: 'event_type', ms_played: 'msPlayed', track_duration_ms: 'length_ms' });
    // Without --event-col the kinds are not read: every row is a play, and the read line says so.
    const unnamed = mixtape('signals', '--events', 'renamed.csv', '--as-of', AS_OF, '--report', 'unnamed.json', '--skip-bad', ...flags.slice(0, 6));
    expect(unnamed.code).toBe(0);
    expect(unnamed.stdout).toMatch(/^read renamed\.csv: .*; no event column: every row is a play heard in full \(name it with --event-col\)/m);
    expect(JSON.parse(await readFile(path.join(dir, 'unnamed.json'), 'utf8')).ingest.columns).toMatchObject({ event: null, ms_played: null });
    // A column named that the file lacks is an error naming it.
    const wrong = mixtape('signals', '--events', 'renamed.csv', '--as-of', AS_OF, '--report', 'wrong.json', ...flags.slice(0, 6), '--event-col', 'kind');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/renamed\.csv: missing column 'kind'/);
    // train and weekly take the same flags.
    const t = mixtape('train', '--format', 'events', '--interactions', 'renamed.csv', '--as-of', AS_OF, '--skip-bad', '--factors', '2', '--iterations', '1', '--threads', '1', '--out', 'renamed-model', '--json', ...flags);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).signals.negative_entries).toBe(plain.totals.negative_entries);
    const w = mixtape('weekly', '--model', 'renamed-model', '--events', 'renamed.csv', '--as-of', AS_OF, '--skip-bad', '--out', 'renamed-week.csv', '--json', ...flags);
    expect(w.stderr).toBe('');
    expect(JSON.parse(w.stdout).ingest.columns.event).toBe('event_type');
  });

  it('names unknown event kinds on the read line and maps them with --event-aliases', async () => {
    const rows = ['stream', 'stream', 'skipped', 'pause'].map((k, i) => `u1,t${i},${T + i * 1000},${k},${k === 'skipped' ? 2000 : 200000},200000`);
    await writeFile(path.join(dir, 'kinds.csv'), ['user_id,track_id,timestamp,event,ms_played,track_duration_ms', ...rows].join('\n') + '\n');
    const raw = mixtape('signals', '--events', 'kinds.csv', '--as-of', AS_OF, '--report', 'kinds.json');
    expect(raw.code).toBe(0);
    expect(raw.stdout).toMatch(/unknown_event_kind 4 \(first at kinds\.csv:2\); unknown event kinds 'stream' 2, 'skipped' 1, 'pause' 1 kept as other \(map them with --event-aliases, e\.g\. stream=play\)/);
    const mapped = mixtape('signals', '--events', 'kinds.csv', '--as-of', AS_OF, '--report', 'kinds.json', '--event-aliases', 'stream=play, skipped=skip', '--json');
    expect(mapped.code).toBe(0);
    const report = JSON.parse(mapped.stdout);
    expect(report.validation.unknown_event_kind).toBe(1);
    expect(report.totals.negative_entries).toBe(1);
    expect(report.totals.positive_entries).toBe(2);
    const bad = mixtape('signals', '--events', 'kinds.csv', '--as-of', AS_OF, '--report', 'kinds.json', '--event-aliases', 'stream=listen');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/'listen' is not an event kind/);
  });

  it('applies a config file and names a bad key', async () => {
    await writeFile(path.join(dir, 'off.json'), JSON.stringify({ anomaly: { enabled: false }, decay: false }));
    const r = mixtape('signals', '--events', 'w/events.csv', '--as-of', end, '--config', 'off.json', '--report', 'off-report.json', '--skip-bad');
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'off-report.json'), 'utf8'));
    expect(report.accounts).toEqual([]);
    expect(report.decay.half_life_days).toBeNull();
    await writeFile(path.join(dir, 'typo.json'), JSON.stringify({ halfLife: 30 }));
    const bad = mixtape('signals', '--events', 'w/events.csv', '--as-of', end, '--config', 'typo.json', '--report', 'typo-report.json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('mixtape: typo.json: halfLife: unknown key\n');
    await writeFile(path.join(dir, 'two.json'), JSON.stringify({ halfLifeDays: -3, weights: { zap: 2 } }));
    const two = mixtape('signals', '--events', 'w/events.csv', '--as-of', end, '--config', 'two.json', '--report', 'two-report.json');
    expect(two.stderr).toBe('mixtape: two.json: weights.zap: unknown key; halfLifeDays: Too small: expected number to be >=0\n');
  });

  it('train --format events goes through the same signals stage', () => {
    const t = mixtape('train', '--format', 'events', '--interactions', 'w/events.csv', '--as-of', end, '--skip-bad', '--factors', '4', '--iterations', '2', '--threads', '1', '--out', 'model', '--json');
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const summary = JSON.parse(t.stdout);
    expect(summary.nnz).toBeGreaterThan(1000);
    expect(summary.iterations).toHaveLength(2);
    // What --skip-bad dropped is reported, rule by rule.
    for (const kind of ['malformed_row', 'missing_id', 'negative_duration', 'duplicate_event', 'future_timestamp']) {
      expect({ kind, n: summary.ingest.validation[kind] }).toEqual({ kind, n: truth.corrupt[kind] });
    }
    expect(summary.signals.as_of).toBe(end);
    // Seconds per stage, the signals stage included.
    for (const stage of ['read', 'signals', 'train', 'save']) expect(summary.seconds[stage]).toBeGreaterThan(0);
  });

  it('train --format events shows the signals stage\'s steps off a terminal, after the read line', () => {
    const args = ['train', '--format', 'events', '--interactions', 'w/events.csv', '--as-of', end, '--skip-bad', '--factors', '4', '--iterations', '2', '--threads', '1', '--out', 'model-steps'];
    const r = runCli(dir, args, { MIXTAPE_PROGRESS_INTERVAL: '0.000001' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    const steps = lines.filter((l) => l.startsWith('signals: '));
    expect(steps.length).toBeGreaterThanOrEqual(1);
    for (const l of steps) expect(l).toMatch(/^signals: [0-8]\/8 steps \(\d+%\), [\d.]+ steps\/s, \d+ s elapsed.*; [a-z ]+$/);
    expect(steps.at(-1)).toMatch(/^signals: 8\/8 steps \(100%\), .*; done$/);
    const read = lines.findIndex((l) => l.startsWith('read w/events.csv'));
    expect(read).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf(steps[0])).toBeGreaterThan(read);
    expect(lines.indexOf(steps.at(-1)!)).toBeLessThan(lines.findIndex((l) => l.startsWith('trained ')));

    // mixtape signals shows the same steps; its summary goes to stdout as before.
    const s = runCli(dir, ['signals', '--events', 'w/events.csv', '--as-of', end, '--skip-bad', '--report', 'steps-report.json'], { MIXTAPE_PROGRESS_INTERVAL: '0.000001' });
    expect(s.status, s.stderr).toBe(0);
    expect(s.stderr.trim().split('\n').filter((l) => l.startsWith('signals: ')).at(-1)).toMatch(/^signals: 8\/8 steps \(100%\), .*; done$/);
    expect(s.stdout).toMatch(/^read w\/events\.csv: .*\nsignals as of /);
    // Split over threads, the stage writes the same report.
    const split = runCli(dir, ['signals', '--events', 'w/events.csv', '--as-of', end, '--skip-bad', '--threads', '3', '--report', 'steps-report-3.json'], {});
    expect(split.status, split.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'steps-report-3.json'), 'utf8')).toBe(readFileSync(path.join(dir, 'steps-report.json'), 'utf8'));

    // So does the weekly job, weighing the week's events before it builds the playlists.
    const w = runCli(dir, ['weekly', '--model', 'model-steps', '--events', 'w/events.csv', '--as-of', end, '--skip-bad', '--out', 'steps-week.csv'], { MIXTAPE_PROGRESS_INTERVAL: '0.000001' });
    expect(w.status, w.stderr).toBe(0);
    const week = w.stderr.trim().split('\n');
    const weighed = week.filter((l) => l.startsWith('signals: '));
    expect(weighed.at(-1)).toMatch(/^signals: 8\/8 steps \(100%\), .*; done$/);
    expect(week.indexOf(weighed[0])).toBeGreaterThan(week.findIndex((l) => l.startsWith('read w/events.csv')));
    expect(week.indexOf(weighed.at(-1)!)).toBeLessThan(week.findIndex((l) => l.startsWith('weekly ')));
  });

  it('train without --as-of takes the end of the log, not a stray row dated months ahead', () => {
    const t = mixtape('train', '--format', 'events', '--interactions', 'w/events.csv', '--skip-bad', '--factors', '4', '--iterations', '2', '--threads', '1', '--out', 'model-default', '--json');
    expect(t.code).toBe(0);
    const { signals, ingest } = JSON.parse(t.stdout);
    const asOf = Date.parse(signals.as_of);
    // Genuine events end before the world's end; the injected future rows are up to 400 days later.
    expect(asOf).toBeLessThanOrEqual(Date.parse(end) + 86_400_000);
    expect(asOf).toBeGreaterThan(Date.parse(end) - 86_400_000);
    expect(ingest.validation.future_timestamp).toBe(0);
    expect(signals.future).toBeGreaterThanOrEqual(truth.corrupt.future_timestamp - 1);
    const text = mixtape('train', '--format', 'events', '--interactions', 'w/events.csv', '--skip-bad', '--factors', '4', '--iterations', '2', '--threads', '1', '--out', 'model-default');
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^read w\/events\.csv: [\d,]+ rows, [\d,]+ kept; timestamps: ISO-8601 text; malformed_row 10/m);
    expect(text.stderr).toMatch(/\(after the last event\): .* later events left out/);
  });
});
