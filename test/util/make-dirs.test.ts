import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirs, makeDirsSync } from '../../src/util/make-dirs.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-dirs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variants = [
  ['makeDirs', (p: string) => makeDirs(p)],
  ['makeDirsSync', (p: string) => Promise.resolve().then(() => makeDirsSync(p))],
] as const;

describe.each(variants)('%s', (name, make) => {
  it('makes every missing level, and is content with an existing directory', async () => {
    const deep = path.join(dir, name, 'a', 'b', 'c');
    await make(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await make(deep);
    await make(dir);
  });

  it('fails, never spins, where a parent cannot hold the child', async () => {
    const file = path.join(dir, `${name}-file`);
    writeFileSync(file, 'x');
    await expect(make(path.join(file, 'sub', 'dir'))).rejects.toThrow(/ENOTDIR/);
    // A link to nowhere: Node's recursive mkdir loops forever between ENOENT and EEXIST here.
    const link = path.join(dir, `${name}-dangling`);
    symlinkSync(path.join(dir, 'no-such-target'), link);
    await expect(make(path.join(link, 'out'))).rejects.toThrow(/ENOTDIR: .* exists but is not a directory \(or is a link to nowhere\)/);
    expect(existsSync(path.join(dir, 'no-such-target'))).toBe(false);
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))('fails at once under /proc, which refuses new entries with ENOENT', async () => {
    await expect(make('/proc/mixtape-no-such/x')).rejects.toThrow(/ENOENT/);
  });
});
