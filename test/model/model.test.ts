import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticMatrix } from '../../src/bench/synthetic-matrix.js';
import { Dictionary } from '../../src/data/dictionary.js';
import { loadModelDir, saveModelDir } from '../../src/model/format.js';
import { Model } from '../../src/model/model.js';
import { ModelHandle } from '../../src/model/model-handle.js';
import { train } from '../../src/train/train.js';
import { bytesOf } from '../reference/shared.js';

let dir: string;
let model: Model;
const matrix = syntheticMatrix({ users: 300, items: 200, nnz: 6000, seed: 5 });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-model-'));
  model = await train(matrix, { factors: 8, iterations: 4, threads: 2, seed: 1 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Model', () => {
  it('saves and loads bit-identical factors, ids and history', async () => {
    const out = path.join(dir, 'm1');
    await model.save(out);
    const loaded = await Model.load(out);
    expect(bytesOf(loaded.data.userFactors).equals(bytesOf(model.data.userFactors))).toBe(true);
    expect(bytesOf(loaded.data.itemFactors).equals(bytesOf(model.data.itemFactors))).toBe(true);
    expect(loaded.userIds).toEqual(model.userIds);
    expect(loaded.trackIds).toEqual(model.trackIds);
    expect([...loaded.data.seen.indptr]).toEqual([...model.data.seen.indptr]);
    expect([...loaded.data.seen.indices]).toEqual([...model.data.seen.indices]);
    expect(await loaded.recommend('u3', { n: 5 })).toEqual(await model.recommend('u3', { n: 5 }));
    const files = (await readdir(out)).sort();
    expect(files).toEqual(['interactions.parquet', 'items.parquet', 'manifest.json', 'users.parquet']);
  });

  it('warms the caches of its first calls without changing any answer (ModelHandle.reload warms before swapping)', async () => {
    const out = path.join(dir, 'm-warm');
    await model.save(out);
    const cold = await Model.load(out);
    const warm = await (await Model.load(out)).warm();
    const history = [{ trackId: model.trackIds[1], weight: 2 }, { trackId: model.trackIds[7], weight: 1 }];
    const asOf = Date.UTC(2026, 10, 26);
    expect(await warm.similarTracks(model.trackIds[4], 5)).toEqual(await cold.similarTracks(model.trackIds[4], 5));
    expect([...(await warm.foldIn(history))]).toEqual([...(await cold.foldIn(history))]);
    expect(await warm.weeklyPlaylist('u3', { asOf })).toEqual(await cold.weeklyPlaylist('u3', { asOf }));
    const handle = new ModelHandle(cold);
    const next = await handle.reload(out);
    expect(handle.model).toBe(next);
    expect(await next.weeklyPlaylist('u5', { asOf })).toEqual(await cold.weeklyPlaylist('u5', { asOf }));
  });

  it('reloads one at a time in the order asked, so the last reload asked for is the model left in place', async () => {
    const small = await train(syntheticMatrix({ users: 40, items: 30, nnz: 300, seed: 9 }), { factors: 4, iterations: 2, threads: 1, seed: 1 });
    const [big, little] = [path.join(dir, 'r-big'), path.join(dir, 'r-small')];
    await model.save(big);
    await small.save(little);
    const handle = new ModelHandle(small);
    for (let round = 0; round < 3; round++) {
      // The small model loads fastest: before, waiting reloads ran side by side and whichever ended last stayed.
      const order = round % 2 === 0 ? [little, big, little] : [big, little, big];
      const loaded = await Promise.all(order.map((d) => handle.reload(d)));
      expect(handle.model).toBe(loaded[2]);
      expect(handle.model.userIds.length).toBe(order[2] === big ? model.userIds.length : 40);
    }
    // A failed reload leaves the model as it was, and the reloads queued after it still run.
    const before = handle.model;
    const [failed, after] = await Promise.allSettled([handle.reload(path.join(dir, 'nope')), handle.reload(little)]);
    expect(failed.status).toBe('rejected');
    expect(after.status).toBe('fulfilled');
    expect(handle.model).not.toBe(before);
    expect(handle.model.userIds.length).toBe(40);
  });

  it('keeps its factor matrices and interactions in shared memory, so async calls and workers read them in place instead of copying them', async () => {
    const out = path.join(dir, 'm-shared');
    await model.save(out);
    const loaded = await Model.load(out);
    const { indptr, indices, pref, weight } = model.data.seen;
    const plainSeen = { indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), pref: Float32Array.from(pref), weight: Float32Array.from(weight) };
    const plain = new Model({ ...model.data, userFactors: Float32Array.from(model.data.userFactors), itemFactors: Float32Array.from(model.data.itemFactors), seen: plainSeen });
    for (const m of [model, loaded, plain]) {
      for (const a of [m.data.userFactors, m.data.itemFactors, m.data.seen.indptr, m.data.seen.indices, m.data.seen.pref, m.data.seen.weight]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expect([...plain.data.itemFactors]).toEqual([...model.data.itemFactors]);
    expect([...plain.data.seen.weight]).toEqual([...weight]);
    expect(await plain.recommend('u3', { n: 5 })).toEqual(await model.recommend('u3', { n: 5 }));
    expect(await plain.similarTracks(model.trackIds[4], 5)).toEqual(await model.similarTracks(model.trackIds[4], 5));
  });

  it('loads on a worker thread the same model as on the calling thread, in shared memory', async () => {
    const out = path.join(dir, 'm-thread');
    await model.save(out);
    const [there, here] = await Promise.all([loadModelDir(out), loadModelDir(out, { thread: false })]);
    expect(there.manifest).toEqual(here.manifest);
    expect(there.data.users.ids).toEqual(here.data.users.ids);
    expect(there.data.items.ids).toEqual(here.data.items.ids);
    expect(there.data.history).toEqual(here.data.history);
    for (const [a, b] of [
      [there.data.userFactors, here.data.userFactors],
      [there.data.itemFactors, here.data.itemFactors],
      [there.data.seen.indptr, here.data.seen.indptr],
      [there.data.seen.indices, here.data.seen.indices],
      [there.data.seen.pref, here.data.seen.pref],
      [there.data.seen.weight, here.data.seen.weight],
    ] as const) {
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expect([...there.extras.keys()]).toEqual([]);
    // Extra files come back verified from the thread too, small ones and large ones alike.
    const withExtras = path.join(dir, 'm-extras');
    const small = Uint8Array.from({ length: 100 }, (_, i) => i);
    const large = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) & 255);
    await saveModelDir(withExtras, model.data, 'test', [{ name: 'small.bin', bytes: small }, { name: 'large.bin', bytes: large }]);
    const [e1, e2] = await Promise.all([loadModelDir(withExtras), loadModelDir(withExtras, { thread: false })]);
    for (const e of [e1, e2]) {
      expect([...e.extras.keys()].sort()).toEqual(['large.bin', 'small.bin']);
      expect(Buffer.from(e.extras.get('small.bin')!).equals(Buffer.from(small))).toBe(true);
      expect(Buffer.from(e.extras.get('large.bin')!).equals(Buffer.from(large))).toBe(true);
    }
    await writeFile(path.join(withExtras, 'large.bin'), large.subarray(1));
    await expect(loadModelDir(withExtras)).rejects.toThrow(`${path.join(withExtras, 'large.bin')}: checksum mismatch`);
    // A failure on the thread reaches the caller with its message (the file and what is wrong).
    await rm(path.join(out, 'users.parquet'));
    await expect(loadModelDir(out)).rejects.toThrow(`${path.join(out, 'users.parquet')}: missing (listed in the model manifest)`);
  });

  it('saves on a worker thread the same files as on the calling thread, from shared or plain arrays', async () => {
    const plainSeen = { indptr: Int32Array.from(model.data.seen.indptr), indices: Int32Array.from(model.data.seen.indices), pref: Float32Array.from(model.data.seen.pref), weight: Float32Array.from(model.data.seen.weight) };
    const plain = { ...model.data, userFactors: Float32Array.from(model.data.userFactors), itemFactors: Float32Array.from(model.data.itemFactors), seen: plainSeen };
    const saves = [
      ['s-thread', model.data, {}],
      ['s-here', model.data, { thread: false }],
      ['s-plain', plain, {}],
    ] as const;
    for (const [name, data, opts] of saves) await saveModelDir(path.join(dir, name), data, 'test', [], undefined, opts);
    const manifests = await Promise.all(saves.map(async ([name]) => JSON.parse(await readFile(path.join(dir, name, 'manifest.json'), 'utf8'))));
    expect(Object.keys(manifests[0].files)).toEqual(['users.parquet', 'items.parquet', 'interactions.parquet']);
    for (const m of manifests.slice(1)) expect(m.files).toEqual(manifests[0].files);
    const back = await loadModelDir(path.join(dir, 's-plain'));
    expect(back.data.users.ids).toEqual(model.userIds);
    expect(Array.from(back.data.itemFactors)).toEqual(Array.from(model.data.itemFactors));
    expect(Array.from(back.data.seen.weight)).toEqual(Array.from(model.data.seen.weight));
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses a model whose id file repeats an id (every later row would take the wrong factors)', async () => {
    const out = path.join(dir, 'm-dup');
    const users = new Dictionary();
    for (const id of model.userIds) users.appendNew(id);
    users.appendNew(model.userIds[0]);
    const k = model.data.params.factors;
    const userFactors = new Float32Array((model.userIds.length + 1) * k);
    userFactors.set(model.data.userFactors);
    const indptr = Int32Array.from([...model.data.seen.indptr, model.data.seen.indptr[model.userIds.length]]);
    await saveModelDir(out, { ...model.data, users, userFactors, seen: { ...model.data.seen, indptr } }, 'test');
    await expect(loadModelDir(out)).rejects.toThrow(`${path.join(out, 'users.parquet')}: 1 repeated user ids`);
  });

  it('replaces an existing model directory atomically and leaves no temp files', async () => {
    const out = path.join(dir, 'm2');
    await model.save(out);
    await model.save(out);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('detects a flipped byte, a missing file and a future format version', async () => {
    const out = path.join(dir, 'm3');
    await model.save(out);
    const f = path.join(out, 'items.parquet');
    const bytes = await readFile(f);
    bytes[bytes.length >> 1] ^= 0xff;
    await writeFile(f, bytes);
    await expect(Model.load(out)).rejects.toThrow(/items\.parquet: checksum mismatch/);
    // The manifest alone is read without the files it lists.
    expect((await Model.manifest(out)).counts).toEqual({ users: model.userIds.length, items: model.trackIds.length, nnz: model.data.seen.indices.length, factors: model.data.params.factors });
    await rm(f);
    await expect(Model.load(out)).rejects.toThrow(/items\.parquet: missing/);
    expect((await Model.manifest(out)).format).toBe('mixtape-model');
    const mf = path.join(out, 'manifest.json');
    const manifest = JSON.parse(await readFile(mf, 'utf8'));
    manifest.formatVersion = 99;
    await writeFile(mf, JSON.stringify(manifest));
    await expect(Model.load(out)).rejects.toThrow(/format version 99 is newer/);
    await expect(Model.manifest(out)).rejects.toThrow(/format version 99 is newer/);
    await expect(Model.load(path.join(dir, 'nope'))).rejects.toThrow(/not a mixtape model directory/);
  });

  it('refuses files whose entries are out of bounds: an item index past the catalog, a pref not 0 or 1, a weight or factor not finite', async () => {
    const { seen } = model.data;
    const items = model.trackIds.length;
    const altered = (change: (d: { indices: Int32Array; pref: Float32Array; weight: Float32Array; itemFactors: Float32Array }) => void): Model => {
      const d = { indices: seen.indices.slice(), pref: seen.pref.slice(), weight: seen.weight.slice(), itemFactors: model.data.itemFactors.slice() };
      change(d);
      return new Model({ ...model.data, itemFactors: d.itemFactors, seen: { indptr: seen.indptr, indices: d.indices, pref: d.pref, weight: d.weight } });
    };
    const cases: [string, (d: Parameters<Parameters<typeof altered>[0]>[0]) => void, RegExp][] = [
      ['index', (d) => (d.indices[17] = items), new RegExp(`interactions\\.parquet: row 17: item_index ${items} outside \\[0, ${items}\\)`)],
      ['pref', (d) => (d.pref[5] = 2), /interactions\.parquet: row 5: pref 2, expected 0 or 1/],
      ['weight', (d) => (d.weight[9] = Number.NaN), /interactions\.parquet: row 9: weight NaN, expected finite and ≥ 0/],
      ['factor', (d) => (d.itemFactors[3 * model.factors + 1] = Number.POSITIVE_INFINITY), /items\.parquet: row 3: factor f1 is Infinity/],
    ];
    for (const [name, change, message] of cases) {
      const out = path.join(dir, `m-bad-${name}`);
      await altered(change).save(out);
      await expect(Model.load(out), name).rejects.toThrow(message);
    }
  });

  it('recommends only unheard tracks, best first', async () => {
    for (const uid of ['u0', 'u10', 'u299']) {
      const u = model.data.users.get(uid)!;
      const seen = new Set(Array.from(model.seenItems(u), (i) => model.trackIds[i]));
      const recs = await model.recommend(uid, { n: 20 });
      expect(recs.length).toBe(Math.min(20, model.trackIds.length - seen.size));
      for (const r of recs) expect(seen.has(r.trackId)).toBe(false);
      for (let i = 1; i < recs.length; i++) expect(recs[i].score).toBeLessThanOrEqual(recs[i - 1].score);
    }
    await expect(model.recommend('nobody')).rejects.toThrow(/unknown user 'nobody'/);
  });

  it('recommendAll yields every user once, matching recommend()', async () => {
    const seen: string[] = [];
    for await (const r of model.recommendAll({ n: 5, batchSize: 64 })) {
      seen.push(r.userId);
      if (r.userId === 'u42') expect(r.items).toEqual(await model.recommend('u42', { n: 5 }));
    }
    expect(seen).toEqual([...model.userIds]);
    const some: string[] = [];
    for await (const r of model.recommendAll({ n: 3, users: ['u5', 'ghost', 'u1'] })) some.push(r.userId);
    expect(some).toEqual(['u5', 'u1']);
  });

  it('recommendAllBlocks gives the lists as arrays, -1 past a short list', async () => {
    const lists = new Map<string, { trackId: string; score: number }[]>();
    let blocks = 0;
    for await (const b of model.recommendAllBlocks({ n: 5, batchSize: 50, users: ['u3', 'ghost', 'u9', 'u0'] })) {
      blocks++;
      expect(b.n).toBe(5);
      expect(b.items.length).toBe(b.users.length * 5);
      for (let i = 0; i < b.users.length; i++) {
        const list = [];
        for (let j = 0; j < 5 && b.items[i * 5 + j] >= 0; j++) list.push({ trackId: model.trackIds[b.items[i * 5 + j]], score: b.scores[i * 5 + j] });
        lists.set(model.userIds[b.users[i]], list);
      }
    }
    expect(blocks).toBe(1);
    expect([...lists.keys()]).toEqual(['u3', 'u9', 'u0']);
    for (const [u, list] of lists) expect(list).toEqual(await model.recommend(u, { n: 5 }));
    // The whole catalog as n: each list stops where the user's unheard tracks end.
    const all = model.trackIds.length;
    for await (const b of model.recommendAllBlocks({ n: all, users: ['u7'] })) {
      const u = model.data.users.get('u7')!;
      expect(b.items.indexOf(-1)).toBe(all - model.seenItems(u).length);
    }
  });

  it('caps n at the catalog and refuses bad counts and user indices', async () => {
    // A caller's n of a billion gives the whole catalog, not arrays sized by it.
    const items = model.trackIds.length;
    const u = model.data.users.get('u7')!;
    expect(await model.recommend('u7', { n: 1e9 })).toEqual(await model.recommend('u7', { n: items }));
    expect((await model.recommend('u7', { n: 1e9 })).length).toBe(items - model.seenItems(u).length);
    expect(await model.similarTracks('i0', 1e9)).toEqual(await model.similarTracks('i0', items));
    expect((await model.similarTracks('i0', 1e9)).length).toBe(items - 1);
    const all = [];
    for await (const r of model.recommendAll({ n: 2 ** 31 - 1, users: ['u7'] })) all.push(r);
    expect(all[0].items).toEqual(await model.recommend('u7', { n: items }));
    // Each call names itself in the message, as the other checks do.
    await expect(model.similarTracks('i0', Number.NaN)).rejects.toThrow('similarTracks: n must be an integer ≥ 1, got NaN');
    await expect(model.recommend('u7', { n: 0 })).rejects.toThrow('recommend: n must be an integer ≥ 1, got 0');
    await expect(model.recommendAll({ n: 1.5 })[Symbol.asyncIterator]().next()).rejects.toThrow('recommendAll: n must be an integer ≥ 1, got 1.5');
    for (const bad of [Number.NaN, 0, 1.5]) {
      await expect(model.recommendAll({ batchSize: bad })[Symbol.asyncIterator]().next()).rejects.toThrow(`recommendAll: batchSize must be an integer ≥ 1, got ${bad}`);
      await expect(model.recommendAll({ concurrency: bad })[Symbol.asyncIterator]().next()).rejects.toThrow(`recommendAll: concurrency must be an integer ≥ 1, got ${bad}`);
    }
    for (const bad of [-1, 1.5, model.userIds.length, 1e9]) expect(() => model.seenItems(bad)).toThrow(`seenItems: user index must be an integer in [0, ${model.userIds.length}), got ${bad}`);
  });

  it('similarTracks ranks by cosine and never returns the track itself', async () => {
    const sims = await model.similarTracks('i0', 10);
    expect(sims).toHaveLength(10);
    expect(sims.some((s) => s.trackId === 'i0')).toBe(false);
    for (const s of sims) expect(s.score).toBeLessThanOrEqual(1 + 1e-5);
  });

  it('similarTracks gives a track with a row of zeros (nothing learned) no neighbours', async () => {
    const i = model.data.items.get('i4')!;
    const k = model.factors;
    const itemFactors = model.data.itemFactors.slice();
    itemFactors.fill(0, i * k, (i + 1) * k);
    const blank = new Model({ ...model.data, itemFactors });
    expect(await blank.similarTracks('i4', 5)).toEqual([]);
    // Other tracks keep theirs, and the blank track scores 0 against every one.
    const sims = await blank.similarTracks('i0', 30);
    expect(sims.length).toBeGreaterThan(0);
    for (const s of sims) if (s.trackId === 'i4') expect(s.score).toBe(0);
  });

  it('foldIn reproduces a trained user row (the one-row solve is the user half-step)', async () => {
    const exact = await train(matrix, { factors: 8, iterations: 3, threads: 1, solver: 'cholesky' });
    const u = exact.data.users.get('u7')!;
    const history = Array.from(exact.seenItems(u), (i, j) => ({
      trackId: exact.trackIds[i],
      weight: exact.data.seen.weight[exact.data.seen.indptr[u] + j],
    }));
    const x = await exact.foldIn(history);
    const k = exact.factors;
    // The trained row was solved against the item factors of the previous half-step, so compare
    // scores loosely: the fold-in must rank the same way on the whole.
    const row = exact.data.userFactors.subarray(u * k, (u + 1) * k);
    let dot = 0, nx = 0, nr = 0;
    for (let j = 0; j < k; j++) { dot += x[j] * row[j]; nx += x[j] * x[j]; nr += row[j] * row[j]; }
    expect(dot / Math.sqrt(nx * nr)).toBeGreaterThan(0.95);
    const recs = await exact.recommendVector(x, { n: 5, exclude: history.map((h) => h.trackId) });
    expect(recs).toHaveLength(5);
    // A vector gone bad upstream is refused, not ranked into an empty or arbitrary list.
    const bad = x.slice();
    bad[0] = Number.NaN;
    await expect(exact.recommendVector(bad, { n: 5 })).rejects.toThrow(/non-finite/);
    // A history of tracks the model does not know folds in to zeros: every score would be 0.
    const none = await exact.foldIn([{ trackId: 'not-a-track', weight: 3 }]);
    expect([...none].every((v) => v === 0)).toBe(true);
    await expect(exact.recommendVector(none, { n: 5 })).rejects.toThrow(/all zeros \(a foldIn of a history with no track the model knows\)/);
    // A bad weight is named by its track, known to the model or not.
    await expect(exact.foldIn([{ trackId: 'i3', weight: -1 }])).rejects.toThrow("foldIn: history[0].weight must be finite and ≥ 0, got -1 (track 'i3')");
    expect(() => exact.foldInSync([{ trackId: 'not-a-track', weight: Number.NaN }])).toThrow(/history\[0\]\.weight must be finite and ≥ 0, got NaN \(track 'not-a-track'\)/);
    // The same checks as weeklyPlaylist's recent entries: what is not an entry is refused, not folded in as zeros.
    await expect(exact.foldIn([{ trackId: 'i3', pref: 2 as 0 }])).rejects.toThrow("foldIn: history[0].pref must be 0 (against) or 1 (for), got 2 (track 'i3')");
    await expect(exact.foldIn('i3' as never)).rejects.toThrow(/foldIn: history must be an array/);
    await expect(exact.foldIn([null as never])).rejects.toThrow('foldIn: history[0] must be an object { trackId, weight?, pref? }, got null');
    await expect(exact.foldIn([{ trackId: 10 as never }])).rejects.toThrow('foldIn: history[0].trackId must be a string, got number');
    // A weight finite as a double but Infinity as the float32 the solve takes.
    await expect(exact.foldIn([{ trackId: 'i3', weight: 1e39 }])).rejects.toThrow(/history\[0\]\.weight 1e\+39 is beyond a 32-bit float's range/);
    expect(exact.foldInSync([{ trackId: 'i3', weight: 3.4e38 }]).every(Number.isFinite)).toBe(true);
  });
});
