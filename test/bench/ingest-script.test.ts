import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchScript } from './run-script.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-bench-ingest-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (...args: string[]) => runBenchScript('ingest', args);

describe('bench/ingest.ts --file (smoke)', () => {
  it('times reading the given files, each run in its own process, and prints events/s per file', () => {
    const rows = ['user_id,track_id,timestamp,event,ms_played'];
    for (let i = 0; i < 300; i++) rows.push(`u${i % 17},t${i % 29},${1_700_000_000_000 + i * 1000},play,${1000 + i}`);
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, rows.join('\n') + '\n');
    writeFileSync(b, rows.slice(0, 101).join('\n') + '\n');
    const r = bench('--file', a, '--file', b, '--runs', '2');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.files)).toEqual([a, b]);
    expect(out.files[a]).toMatchObject({ events: 300 });
    expect(out.files[b]).toMatchObject({ events: 100 });
    for (const f of [a, b]) {
      expect(out.files[f].all_seconds).toHaveLength(2);
      expect(out.files[f].events_per_s).toBeGreaterThan(0);
      expect(out.files[f].peak_rss_mb).toBeGreaterThan(0);
    }
  });

  it('reads with --read-threads on that many threads, and says so', () => {
    const rows = ['user_id,track_id,timestamp,event,ms_played'];
    for (let i = 0; i < 50; i++) rows.push(`u${i % 7},t${i % 11},${1_700_000_000_000 + i * 1000},play,1000`);
    const file = path.join(dir, 'threads.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const r = bench('--file', file, '--read-threads', '2');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[file]).toMatchObject({ events: 50, read_threads: 2 });
  });

  it('times counts files with --counts', () => {
    const rows = ['user_id,item_id,weight'];
    for (let i = 0; i < 40; i++) rows.push(`u${i % 7},i${i % 11},${1 + (i % 5)}`);
    const file = path.join(dir, 'counts.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const r = bench('--file', file, '--counts');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ counts: true, files: { [file]: { events: 40 } } });
  });

  it('names a file that does not exist', () => {
    const r = bench('--file', path.join(dir, 'missing.parquet'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('missing.parquet: no such file');
  });

  it('reads as --strict does with --strict: a duplicate row then fails the read', () => {
    const rows = ['user_id,track_id,timestamp,event,ms_played', 'u1,t1,1700000000000,play,1000', 'u2,t1,1700000001000,play,1000', 'u1,t1,1700000000000,play,1000'];
    const file = path.join(dir, 'dup.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const lenient = bench('--file', file);
    expect(lenient.status, lenient.stderr).toBe(0);
    expect(JSON.parse(lenient.stdout)).toMatchObject({ strict: false, files: { [file]: { events: 2 } } });
    const strict = bench('--file', file, '--strict');
    expect(strict.status).not.toBe(0);
    expect(strict.stderr).toMatch(/dup\.csv:4: duplicate_event/);
  });

  it('adds the reading process\'s longest event-loop stall with --stall, and only then', () => {
    const rows = ['user_id,track_id,timestamp,event,ms_played', 'u1,t1,1700000000000,play,1000', 'u2,t1,1700000001000,play,1000'];
    const file = path.join(dir, 'stall.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const probed = bench('--file', file, '--stall');
    expect(probed.status, probed.stderr).toBe(0);
    expect(JSON.parse(probed.stdout).files[file].longest_stall_ms).toBeGreaterThanOrEqual(0);
    const plain = bench('--file', file);
    expect(JSON.parse(plain.stdout).files[file]).not.toHaveProperty('longest_stall_ms');
  });
});
