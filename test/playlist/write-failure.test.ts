import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFailure } from '../../src/playlist/job.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-write-failure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: something, write`), { code });

describe('the weekly job on a failed write', () => {
  it('names the output, the reason and the work kept for --resume', () => {
    const out = path.join(dir, 'week.csv');
    const e = writeFailure(out, dir, errno('ENOSPC')) as Error;
    expect(e.message).toBe(`cannot write ${out}: no space left on device; completed shards are kept in ${dir}: run the same command with --resume once that is fixed, or remove it`);
    expect(e.cause).toBeInstanceOf(Error);
    // No work directory left: nothing is said to be kept.
    expect((writeFailure(out, path.join(dir, 'gone'), errno('EDQUOT')) as Error).message).toBe(`cannot write ${out}: disk quota exceeded`);
  });

  it('leaves errors a read can meet as they are', () => {
    for (const code of ['ENOENT', 'EACCES']) {
      const err = errno(code);
      expect(writeFailure('week.csv', dir, err)).toBe(err);
    }
    const plain = new Error('a shard failed twice');
    expect(writeFailure('week.csv', dir, plain)).toBe(plain);
  });
});
