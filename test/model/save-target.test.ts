/**
 * A model is saved by replacing its directory whole, so `save` (and `train --out`) must not take
 * a directory of other files, or a file: `train --out ~/data` emptied that directory.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';
import { Model } from '../../src/model/model.js';
import { train } from '../../src/train/train.js';
import { cliIn } from '../util/cli-process.js';

let dir: string;
let model: Model;
const mixtape = cliIn(() => dir);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-save-target-'));
  model = await train(syntheticMatrix({ users: 40, items: 30, nnz: 300, seed: 2 }), { factors: 4, iterations: 2, threads: 1 });
  writeFileSync(path.join(dir, 'pairs.csv'), 'user_id,item_id,weight\na,x,1\nb,y,2\na,y,1\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('where a model is saved', () => {
  it('refuses a directory of other files and a file, leaving them as they were', async () => {
    const notes = path.join(dir, 'notes');
    mkdirSync(notes);
    for (const f of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) writeFileSync(path.join(notes, f), f);
    await expect(model.save(notes)).rejects.toThrow(`${notes}: holds files that are not a mixtape model (a.txt, b.txt, c.txt, … (4 entries)); saving a model replaces its directory whole, so choose a new or empty directory`);
    expect(readdirSync(notes)).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    // A manifest of something else is not a model's.
    writeFileSync(path.join(notes, 'manifest.json'), '{"format":"someone-else"}');
    await expect(model.save(notes)).rejects.toThrow(/holds files that are not a mixtape model/);
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    await expect(model.save(file)).rejects.toThrow(`${file}: is a file, not a model directory`);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('saves into a new or empty directory and replaces a model', async () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    await model.save(empty);
    await model.save(empty); // now a model: replaced
    await model.save(path.join(dir, 'new', 'model'));
    expect((await Model.load(empty)).userIds).toEqual(model.userIds);
    expect(existsSync(path.join(dir, 'new', 'model', 'manifest.json'))).toBe(true);
    // Its index (built for the factors it replaces) and a killed build's temporary file go with it.
    writeFileSync(path.join(empty, 'hnsw.json'), '{}');
    writeFileSync(path.join(empty, '.hnsw.index.tmp-123-0a1b2c3d'), '');
    await model.save(empty);
    expect(readdirSync(empty).sort()).toEqual(['interactions.parquet', 'items.parquet', 'manifest.json', 'users.parquet']);
  });

  it('refuses a model directory that holds other files too, leaving it as it was', async () => {
    const m = path.join(dir, 'model-and-notes');
    await model.save(m);
    writeFileSync(path.join(m, 'week.csv'), 'user_id\n');
    writeFileSync(path.join(m, '.notes.tmp-1-zz'), '');
    const before = readdirSync(m).sort();
    await expect(model.save(m)).rejects.toThrow(`${m}: holds a mixtape model and other files (.notes.tmp-1-zz, week.csv); saving a model replaces its directory whole, so move them out or choose a new directory`);
    expect(readdirSync(m).sort()).toEqual(before);
    expect((await Model.load(m)).userIds).toEqual(model.userIds);
  });

  it('train --out refuses before it reads the input', () => {
    mkdirSync(path.join(dir, 'work'));
    writeFileSync(path.join(dir, 'work', 'plan.md'), 'plan');
    const r = mixtape('train', '--interactions', 'pairs.csv', '--factors', '2', '--iterations', '2', '--out', 'work');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('mixtape: work: holds files that are not a mixtape model (plan.md); saving a model replaces its directory whole, so choose a new or empty directory\n');
    expect(readdirSync(path.join(dir, 'work'))).toEqual(['plan.md']);
  });
});
