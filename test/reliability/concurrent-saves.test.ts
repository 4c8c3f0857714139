/**
 * One output written by several writers at once (two saves of a service's model, a save while a
 * reload reads it): each write lands whole, the last to finish wins, and a load never fails or
 * mixes two versions because a save swapped the directory under it.
 */
import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';
import { Model } from '../../src/model/model.js';
import { train } from '../../src/train/train.js';
import { writeDirAtomic } from '../../src/util/atomic.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-concurrent-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('concurrent writes of one output', () => {
  it('land every directory swap whole, leave one complete version and nothing beside it', async () => {
    const target = path.join(dir, 'out');
    for (let round = 0; round < 5; round++) {
      const writers = Array.from({ length: 6 }, (_, w) =>
        writeDirAtomic(target, async (tmp) => {
          await writeFile(path.join(tmp, 'a.txt'), `writer ${w}`);
          await writeFile(path.join(tmp, 'b.txt'), `writer ${w}`);
        }),
      );
      await Promise.all(writers);
      const a = await readFile(path.join(target, 'a.txt'), 'utf8');
      expect(a).toMatch(/^writer [0-5]$/);
      expect(await readFile(path.join(target, 'b.txt'), 'utf8')).toBe(a);
      expect(await readdir(dir)).toEqual(['out']);
    }
  });

  it('load a model being saved again and again, always one whole version of it', async () => {
    const matrix = syntheticMatrix({ users: 300, items: 200, nnz: 6000, seed: 4 });
    const models = [await train(matrix, { factors: 8, iterations: 2, threads: 1, seed: 1 }), await train(matrix, { factors: 8, iterations: 2, threads: 1, seed: 2 })];
    const target = path.join(dir, 'model');
    await models[0].save(target);
    let saving = true;
    const saves = (async () => {
      for (let i = 1; i <= 12; i++) await models[i % 2].save(target);
      saving = false;
    })();
    let loads = 0;
    while (saving) {
      const m = await Model.load(target);
      const which = models.findIndex((x) => x.data.userFactors.every((v, k) => v === m.data.userFactors[k]));
      expect(which).toBeGreaterThanOrEqual(0);
      expect(m.data.itemFactors).toEqual(models[which].data.itemFactors);
      loads++;
    }
    await saves;
    expect(loads).toBeGreaterThan(0);
    expect(await readdir(dir)).toContain('model');
    expect((await readdir(dir)).filter((n) => n.startsWith('.model.'))).toEqual([]);
  });
});
