import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempFiles, tempSibling, writeDirAtomic } from '../../src/util/atomic.js';
import { clearStaleSiblings } from '../../src/util/stale-siblings.js';
import { spawn, spawnSync } from 'node:child_process';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-temp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('removeTempFiles (what an interrupted run cleans up)', () => {
  it('removes temporary files and directories still in flight, and nothing that was renamed into place', async () => {
    removeTempFiles();
    const file = tempSibling(path.join(dir, 'week.csv'));
    await writeFile(file, 'half a file');
    const tree = tempSibling(path.join(dir, 'model'));
    await mkdir(tree);
    await writeFile(path.join(tree, 'manifest.json'), '{}');
    await writeDirAtomic(path.join(dir, 'done'), (tmp) => writeFile(path.join(tmp, 'manifest.json'), '"done"'));
    // An 'old' sibling holds the previous complete version during a swap: it is not ours to delete.
    const old = tempSibling(path.join(dir, 'done'), 'old');
    await writeFile(old, 'previous version');

    expect(removeTempFiles()).toBe(2);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(tree)).toBe(false);
    expect(await readFile(path.join(dir, 'done', 'manifest.json'), 'utf8')).toBe('"done"');
    expect(existsSync(old)).toBe(true);
    expect(removeTempFiles()).toBe(0);
  });

  it('clears what killed runs left beside an output, and leaves live runs alone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const target = path.join(dir, 'model');
      const stale = path.join(dir, `.model.tmp-${dead}-0123abcd`);
      const busy = path.join(dir, `.model.tmp-${live.pid}-89abcdef`);
      await mkdir(stale);
      await writeFile(path.join(stale, 'items.parquet'), 'half of a model');
      await mkdir(busy);
      await writeDirAtomic(target, (tmp) => writeFile(path.join(tmp, 'manifest.json'), '"new"'));
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(busy)).toBe(true);
      // Killed between the two renames of a swap: the previous version is put back.
      const swapped = path.join(dir, 'swapped');
      const aside = path.join(dir, `.swapped.old-${dead}-fedcba98`);
      await mkdir(aside);
      await writeFile(path.join(aside, 'manifest.json'), '"previous"');
      expect(await clearStaleSiblings(swapped)).toBe(1);
      expect(await readFile(path.join(swapped, 'manifest.json'), 'utf8')).toBe('"previous"');
    } finally {
      live.kill();
    }
  });
});
