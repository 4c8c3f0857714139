/**
 * Model directory speed: saves a model of seeded factors and a synthetic interaction matrix, then
 * loads it back (checksums verified) on a worker thread (as Model.load does) and on the calling
 * thread, several times; prints JSON with the median and every run's seconds, the longest stall
 * of the caller's event loop during the save and each kind of load (a timer probe every
 * millisecond), and the directory's size. The factors are random, so they compress like trained
 * ones (barely); ids are `user-N` / `track-N`.
 *
 *   tsx bench/model-io.ts [--users 1000000] [--items 300000] [--nnz 30000000] [--factors 64] [--runs 3]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withLoopStall } from '../src/bench/loop-stall.js';
import { summarize } from '../src/bench/stats.js';
import { syntheticMatrix } from '../src/bench/synthetic-matrix.js';
import { Dictionary } from '../src/data/dictionary.js';
import { loadModelDir, saveModelDir } from '../src/model/format.js';
import type { ModelData } from '../src/model/model-data.js';
import { Model } from '../src/model/model.js';
import { fillRandom } from '../src/train/init.js';
import { peakRssMb } from '../src/util/peak-rss.js';
import { sharedArray } from '../src/util/shared-memory.js';
import { BenchFlags } from './args.js';

const flags = BenchFlags.parse({ users: 'value', items: 'value', nnz: 'value', factors: 'value', runs: 'value' });
const users = flags.int('users', 1_000_000);
const items = flags.int('items', 300_000);
const nnz = flags.int('nnz', 30_000_000);
const k = flags.int('factors', 64);
const runs = flags.int('runs', 3);

/** A model as training or loading leaves one: arrays in shared memory (no plain copies kept). */
function syntheticModel(): ModelData {
  const m = syntheticMatrix({ users, items, nnz, seed: 1 });
  const userFactors = sharedArray(Float32Array, users * k);
  const itemFactors = sharedArray(Float32Array, items * k);
  fillRandom(userFactors, 1);
  fillRandom(itemFactors, 2);
  return new Model({
    params: { factors: k, iterations: 5, regularization: 0.01, alpha: 10, confidence: 'linear', epsilon: 1, solver: 'cg', cgSteps: 3, seed: 1 },
    users: Dictionary.from(Array.from({ length: users }, (_, i) => `user-${i}`)),
    items: Dictionary.from(Array.from({ length: items }, (_, i) => `track-${i}`)),
    userFactors,
    itemFactors,
    seen: { indptr: m.indptr, indices: m.indices, pref: m.pref, weight: m.weight },
    history: [],
  }).data;
}
const data = syntheticModel();

const root = mkdtempSync(path.join(os.tmpdir(), 'mixtape-bench-model-'));
const save: number[] = [];
const saveStall: number[] = [];
const load: number[] = [];
const loadStall: number[] = [];
const loadHere: number[] = [];
const loadHereStall: number[] = [];

let bytes = 0;
try {
  for (let r = 0; r < runs; r++) {
    const dir = path.join(root, `model-${r}`);
    const saved = await withLoopStall(() => saveModelDir(dir, data, 'bench'));
    save.push(saved.seconds);
    saveStall.push(saved.longestStallMs / 1000);
    for (const [thread, seconds, stall] of [[true, load, loadStall], [false, loadHere, loadHereStall]] as const) {
      const loaded = await withLoopStall(() => loadModelDir(dir, { thread }));
      if (loaded.result.data.seen.indices.length !== data.seen.indices.length) throw new Error('the loaded model differs from the saved one');
      seconds.push(loaded.seconds);
      stall.push(loaded.longestStallMs / 1000);
    }
    bytes = readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
    rmSync(dir, { recursive: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const round = (x: number): number => Math.round(x * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify(
    {
      users,
      items,
      nnz: data.seen.indices.length,
      factors: k,
      load_average: os.loadavg().map((v) => Math.round(v * 100) / 100),
      save_seconds: round(summarize(save).median),
      save_stall_seconds: round(summarize(saveStall).median),
      load_seconds: round(summarize(load).median),
      load_stall_seconds: round(summarize(loadStall).median),
      load_on_caller_seconds: round(summarize(loadHere).median),
      load_on_caller_stall_seconds: round(summarize(loadHereStall).median),
      all_save_seconds: save.map(round),
      all_load_seconds: load.map(round),
      all_load_on_caller_seconds: loadHere.map(round),
      model_bytes: bytes,
      model_mb: Math.round(bytes / 2 ** 20),
      peak_rss_mb: Math.round(peakRssMb()),
    },
    null,
    2,
  )}\n`,
);
