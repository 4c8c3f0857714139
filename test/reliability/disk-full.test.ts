/**
 * Disk full and unwritable outputs: a clear one-line error and no partial file. The full disk is
 * a real 256 KiB tmpfs (needs root with mount rights, as on CI; skipped elsewhere).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpCounts } from '../../src/bench/dump.js';
import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';

const bin = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');
let dir: string;
let tiny: string;
let mounted = false;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-diskfull-'));
  tiny = path.join(dir, 'tiny');
  await dumpCounts(syntheticMatrix({ users: 3000, items: 800, nnz: 40_000, seed: 4 }), path.join(dir, 'counts.csv'));
  const t = run('train', '--interactions', 'counts.csv', '--factors', '8', '--iterations', '2', '--out', 'model');
  expect(t.status, t.stderr).toBe(0);
  spawnSync('mkdir', ['-p', tiny]);
  mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', tiny]).status === 0;
});
afterAll(() => {
  if (mounted) spawnSync('umount', [tiny]);
  rmSync(dir, { recursive: true, force: true });
});

describe('outputs that cannot be written', () => {
  it('disk full while writing recommendations: one clear line, no partial file', (ctx) => {
    if (!mounted) ctx.skip();
    const r = run('recommend', '--model', 'model', '--n', '50', '--out', path.join(tiny, 'recs.csv'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^mixtape: cannot write .*tiny\/recs\.csv: no space left on device\n$/);
    expect(readdirSync(tiny)).toEqual([]);
  });

  it('disk full while saving a model: one clear line, no partial model directory', (ctx) => {
    if (!mounted) ctx.skip();
    const r = run('train', '--interactions', 'counts.csv', '--factors', '32', '--iterations', '1', '--out', path.join(tiny, 'model'));
    expect(r.status).toBe(1);
    // The read's line came when the read ended; the failure is one line after it.
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.slice(0, -1).map((l) => l.split(' ')[0])).toEqual(['read']);
    expect(lines.at(-1)).toMatch(/^mixtape: cannot write .*tiny\/model: no space left on device$/);
    expect(readdirSync(tiny)).toEqual([]);
  });

  it('an output path under a regular file is refused clearly', () => {
    writeFileSync(path.join(dir, 'plain.txt'), 'not a directory\n');
    const r = run('recommend', '--model', 'model', '--n', '5', '--out', path.join(dir, 'plain.txt', 'recs.csv'));
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write .*plain\.txt\/recs\.csv/);
  });
});
