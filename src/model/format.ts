/**
 * The model directory: a versioned manifest plus Parquet files, written atomically and verified
 * on load (format version and per-file SHA-256).
 *
 *   manifest.json       format, version, params, counts, files {name: {sha256, bytes}}
 *   users.parquet       user_id (utf8), f0..f{k-1} (float32)
 *   items.parquet       item_id (utf8), f0..f{k-1} (float32)
 *   interactions.parquet user_index (int32), item_index (int32), pref (float32), weight (float32)
 */
import { createHash } from 'node:crypto';
import { readFile as readFileCb } from 'node:fs';
import { open, readFile, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import { z } from 'zod';
import { modelParamsSchema } from '../train/options.js';
import { Dictionary } from '../data/dictionary.js';
import { swapUnderway, writeDirAtomic } from '../util/atomic.js';
import { writeStreamed } from '../util/streamed-file.js';
import { Utf8Collector, utf8StringsInTurns, utf8VectorOf, type Utf8Strings } from '../data/utf8-vector.js';
import { sharedArray, toSharedInTurns } from '../util/shared-memory.js';
import { largeArray } from '../util/large-array.js';
import { createWorkerPool } from '../util/worker-pool.js';
import { settleAll } from '../util/settle-all.js';
import { encodeParquetTo, factorColumns, readNumericColumn, readFactorColumns, decodeParquet, readStringColumn } from './columnar.js';
import type { ModelData, ModelParams } from './model-data.js';
import { errorMessage } from '../util/error-message.js';

export const MODEL_FORMAT = 'mixtape-model';
export const MODEL_FORMAT_VERSION = 1;
/** How the user ids of a model trained with --pseudonymize were made (see privacy/pseudonym.ts). */
export const PSEUDONYM_SCHEME = 'hmac-sha256-128';
/** A key's check value as pseudonymKeyCheck makes it. */
export const KEY_CHECK_PATTERN = /^[0-9a-f]{16}$/;

export interface Manifest {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  createdAt: string;
  mixtapeVersion: string;
  params: ModelParams;
  counts: { users: number; items: number; nnz: number; factors: number };
  history: { iteration: number; seconds: number; loss: number | null }[];
  files: Record<string, { sha256: string; bytes: number }>;
  /** Stage-specific sections (content model, pseudonyms, ...) keyed by name. */
  extensions?: { pseudonyms?: PseudonymsExtension } & Record<string, unknown>;
}

const count = z.number().int().min(0);
/** A whole file by its descriptor (open since the manifest was read), from its start. */
const readFd = promisify(readFileCb) as (fd: number) => Promise<Buffer>;
/** The manifest's record of pseudonymized user ids: the key's check value (pseudonymKeyCheck). */
const pseudonymsSchema = z.object({ scheme: z.literal(PSEUDONYM_SCHEME), keyCheck: z.string().regex(KEY_CHECK_PATTERN, 'expected 16 hex digits') });
export type PseudonymsExtension = z.infer<typeof pseudonymsSchema>;
/** A manifest as saved: what readManifest accepts. */
const manifestSchema = z
  .object({
    formatVersion: z.number().int().min(1).max(MODEL_FORMAT_VERSION),
    params: modelParamsSchema,
    counts: z.object({ users: count, items: count, nnz: count, factors: modelParamsSchema.shape.factors }),
    history: z.array(z.object({ iteration: count, seconds: z.number().finite().min(0), loss: z.number().nullable() })),
    files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex'), bytes: count })),
    extensions: z.object({ pseudonyms: pseudonymsSchema.optional() }).passthrough().optional(),
  })
  .refine((m) => m.params.factors === m.counts.factors, { message: 'params.factors and counts.factors differ', path: ['counts', 'factors'] });

/** SHA-256 (hex) of the bytes of all pieces in order. */
function sha256(pieces: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of pieces) h.update(p);
  return h.digest('hex');
}

const CORE_FILES = ['users.parquet', 'items.parquet', 'interactions.parquet'] as const;
export type CoreFile = (typeof CORE_FILES)[number];
/** The core files, the largest first (by their raw bytes): the order their encodings are queued in. */
function largestFirst(a: ModelArrays): CoreFile[] {
  const raw: Record<CoreFile, number> = {
    'users.parquet': a.userFactors.byteLength + a.userIds.bytes.byteLength,
    'items.parquet': a.itemFactors.byteLength + a.itemIds.bytes.byteLength,
    // Four 4-byte columns an entry: user, item, preference, weight.
    'interactions.parquet': 4 * a.seen.indices.byteLength,
  };
  return [...CORE_FILES].sort((x, y) => raw[y] - raw[x]);
}

export interface ExtraFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Saves a model directory atomically. By default the Parquet files are encoded, hashed and written
 * (seconds for a million users) on worker threads, so a service that saves a model keeps
 * answering meanwhile: two threads, one taking the interactions (at scale most of the bytes and
 * of the time) while the other takes the factor files. What the caller does first (ids to UTF-8,
 * arrays into shared memory) runs a slice per event-loop turn. Each file is written a row group at
 * a time as it is encoded: held whole, the files of a 100 M-entry model took 2 GB more at once.
 * `thread: false` does it all here, one file at a time.
 */
export async function saveModelDir(
  dir: string,
  model: ModelData,
  version: string,
  extras: ExtraFile[] = [],
  extensions?: Record<string, unknown>,
  opts: { thread?: boolean; threads?: number } = {},
): Promise<void> {
  const arrays = await modelArrays(model);
  const pool = opts.thread === false ? undefined : createWorkerPool(import.meta.url, 'save-worker', opts.threads ?? 2);
  const write = (name: CoreFile, file: string): Promise<WrittenFile> =>
    pool ? pool.run({ name, arrays, file } satisfies SaveTask).then(writtenOrThrow) : writeModelFile(name, arrays, file);
  try {
    await writeDirAtomic(dir, async (tmp) => {
      const files: Manifest['files'] = {};
      // The largest file is queued first, so it starts at once and the others share the second thread.
      const writing = new Map(largestFirst(arrays).map((name) => [name, pool ? write(name, path.join(tmp, name)) : undefined] as const));
      // A file whose turn has not come yet must not report a failure as unhandled meanwhile.
      for (const p of writing.values()) p?.catch(() => {});
      try {
        for (const name of CORE_FILES) files[name] = await (writing.get(name) ?? write(name, path.join(tmp, name)));
      } catch (err) {
        // The others finish (or fail) before the temporary directory is removed under them.
        await Promise.allSettled([...writing.values()]);
        throw err;
      }
      for (const e of extras) {
        await writeFile(path.join(tmp, e.name), e.bytes);
        files[e.name] = { sha256: sha256([e.bytes]), bytes: e.bytes.length };
      }
      const manifest: Manifest = {
        format: MODEL_FORMAT,
        formatVersion: MODEL_FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        mixtapeVersion: version,
        params: model.params,
        counts: { users: model.users.size, items: model.items.size, nnz: model.seen.indices.length, factors: model.params.factors },
        history: model.history.map((h) => ({ iteration: h.iteration, seconds: h.seconds, loss: Number.isFinite(h.loss) ? h.loss : null })),
        files,
        ...(extensions ? { extensions } : {}),
      };
      await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    });
  } finally {
    await pool?.destroy();
  }
}

/**
 * What the Parquet files of a model directory are encoded from, as plain data a worker thread can
 * take: ids as UTF-8 (one buffer, not a million strings to clone), all in shared memory.
 */
export interface ModelArrays {
  factors: number;
  userIds: Utf8Strings;
  itemIds: Utf8Strings;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  seen: ModelData['seen'];
}

async function modelArrays(model: ModelData): Promise<ModelArrays> {
  const { indptr, indices, pref, weight } = model.seen;
  return {
    factors: model.params.factors,
    userIds: await sharedUtf8(model.users.ids),
    itemIds: await sharedUtf8(model.items.ids),
    userFactors: await toSharedInTurns(model.userFactors),
    itemFactors: await toSharedInTurns(model.itemFactors),
    seen: { indptr: await toSharedInTurns(indptr), indices: await toSharedInTurns(indices), pref: await toSharedInTurns(pref), weight: await toSharedInTurns(weight) },
  };
}

/**
 * Ids as UTF-8, encoded straight into shared memory. Each encoding task takes `ModelArrays` whole,
 * and plain buffers were cloned on the caller's thread at every task: 80–120 ms each for a
 * million users' ids.
 */
function sharedUtf8(ids: readonly string[]): Promise<Utf8Strings> {
  return utf8StringsInTurns(ids, undefined, { shared: true });
}

/** A core file as written: its size and SHA-256, for the manifest. */
export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/** What the save worker is given: one core file to write at `file`. */
export interface SaveTask {
  name: CoreFile;
  arrays: ModelArrays;
  file: string;
}

/**
 * The save worker's answer. A thread's error reaches the caller without its `code` (ENOSPC, …),
 * which names the reason in the caller's message, so a failure comes back as data.
 */
export type SaveOutcome = { written: WrittenFile } | { failed: { message: string; code?: string } };

function writtenOrThrow(outcome: SaveOutcome): WrittenFile {
  if ('written' in outcome) return outcome.written;
  throw Object.assign(new Error(outcome.failed.message), outcome.failed.code ? { code: outcome.failed.code } : {});
}

/** Encodes one of the three Parquet files of a model into `file` (a new file), hashing it as it goes. */
export async function writeModelFile(name: CoreFile, arrays: ModelArrays, file: string): Promise<WrittenFile> {
  const k = arrays.factors;
  const table =
    name === 'users.parquet'
      ? factorTable('user_id', arrays.userIds, arrays.userFactors, k)
      : name === 'items.parquet'
        ? factorTable('item_id', arrays.itemIds, arrays.itemFactors, k)
        : interactionsTable(arrays.seen);
  const hash = createHash('sha256');
  const { bytes } = await writeStreamed(file, (sink) =>
    encodeParquetTo(table, (piece) => {
      hash.update(piece);
      return sink(piece);
    }),
  );
  return { bytes, sha256: hash.digest('hex') };
}

/** An id column and one float32 column per factor. */
function factorTable(idName: string, ids: Utf8Strings, factors: Float32Array, k: number): arrow.Table {
  const columns = factorColumns(factors, ids.offsets.length - 1, k);
  return new arrow.Table({ [idName]: utf8VectorOf(ids), ...Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, arrow.makeVector(c)])) });
}

function interactionsTable(seen: ModelData['seen']): arrow.Table {
  const { indptr, indices, pref, weight } = seen;
  const userIndex = largeArray(Int32Array, indices.length);
  for (let u = 0; u + 1 < indptr.length; u++) userIndex.fill(u, indptr[u], indptr[u + 1]);
  return arrow.tableFromArrays({ user_index: userIndex, item_index: indices, pref, weight });
}

export interface LoadedModelDir {
  manifest: Manifest;
  data: ModelData;
  /** Verified bytes of files beyond the core ones, by name. */
  extras: Map<string, Uint8Array>;
}

/**
 * What a model directory holds, as plain data a worker thread can hand back: typed arrays in
 * shared memory (passed without a copy), ids as UTF-8 (two buffers, where a million strings took
 * the receiving thread a quarter of a second to take in).
 */
export interface ModelFiles {
  manifest: Manifest;
  userIds: Utf8Strings;
  itemIds: Utf8Strings;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  seen: ModelData['seen'];
  /** Verified files beyond the core ones. */
  extras: [string, Uint8Array][];
}


/**
 * Loads a model directory: every file listed is read and its checksum verified, then decoded. By
 * default the reading, hashing and decoding (seconds for a million users) run on a worker thread,
 * so a service that reloads its model keeps answering meanwhile; `thread: false` does it here.
 */
export async function loadModelDir(dir: string, opts: { thread?: boolean } = {}): Promise<LoadedModelDir> {
  for (let attempt = 1; ; attempt++) {
    const before = await dirIdentity(dir);
    try {
      return await loadModelDirOnce(dir, opts);
    } catch (err) {
      if (attempt >= LOAD_ATTEMPTS || !(await swappedDuring(dir, before))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/**
 * Loads that met a save of the same directory try again: a save swaps the whole directory, so a
 * load between its renames found no manifest, and one across them read a manifest of one version
 * and files of the next (a checksum mismatch). Either is a failure of timing, not of the model.
 */
const LOAD_ATTEMPTS = 5;

/**
 * The directory's identity (a save puts a new directory in its place), or null when it is missing:
 * the inode and its change time, as a save after the next can get the first one's freed inode.
 */
async function dirIdentity(dir: string): Promise<string | null> {
  const st = await stat(dir, { bigint: true }).catch(() => null);
  return st ? `${st.dev}:${st.ino}:${st.ctimeNs}` : null;
}

async function swappedDuring(dir: string, before: string | null): Promise<boolean> {
  const after = await dirIdentity(dir);
  if (after !== before) return true;
  return after === null && (await swapUnderway(dir));
}

async function loadModelDirOnce(dir: string, opts: { thread?: boolean }): Promise<LoadedModelDir> {
  const files = opts.thread === false ? await readModelFiles(dir) : await readModelFilesOnThread(dir);
  const { manifest } = files;
  const users = await Dictionary.fromUtf8InTurns(files.userIds);
  const items = await Dictionary.fromUtf8InTurns(files.itemIds);
  // A repeated id would shift every later row off its factors.
  const repeated = (d: Dictionary, ids: Utf8Strings): number => ids.offsets.length - 1 - d.size;
  if (repeated(users, files.userIds) > 0) throw new Error(`${path.join(dir, 'users.parquet')}: ${repeated(users, files.userIds)} repeated user ids`);
  if (repeated(items, files.itemIds) > 0) throw new Error(`${path.join(dir, 'items.parquet')}: ${repeated(items, files.itemIds)} repeated item ids`);
  const data: ModelData = {
    params: manifest.params,
    users,
    items,
    userFactors: files.userFactors,
    itemFactors: files.itemFactors,
    seen: files.seen,
    history: manifest.history.map((h) => ({ iteration: h.iteration, seconds: h.seconds, loss: h.loss ?? Number.NaN })),
    ...(manifest.extensions?.pseudonyms ? { pseudonyms: { keyCheck: manifest.extensions.pseudonyms.keyCheck } } : {}),
  };
  return { manifest, data, extras: new Map(files.extras) };
}

/**
 * The model's files on two threads: the interactions (most of the bytes at scale) on one, the
 * factor files and any extras on the other, each read, verified and decoded where it lands.
 */
async function readModelFilesOnThread(dir: string): Promise<ModelFiles> {
  return withOpenModel(dir, async (manifest, fds) => {
    const pool = createWorkerPool(import.meta.url, 'load-worker', 2);
    try {
      const parts = MODEL_PARTS.map((part) => pool.run({ dir, manifest, part, fds } satisfies LoadTask) as Promise<ModelPart>);
      return assembleModelFiles(dir, manifest, await settleAll(parts));
    } finally {
      await pool.destroy();
    }
  });
}

/** Reads, verifies and decodes a model directory on the calling thread. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  return withOpenModel(dir, async (manifest, fds) => {
    const parts: ModelPart[] = [];
    for (const part of MODEL_PARTS) parts.push(await readModelPart(dir, manifest, part, fds));
    return assembleModelFiles(dir, manifest, parts);
  });
}

/**
 * Reads the manifest and opens every file it lists at once, then hands them over as descriptors
 * (worker threads share them). A save swaps the whole directory; files opened together belong to
 * one version and stay readable after a swap removes them, so a load needs only the moment of
 * opening to fall between two saves, not the whole read.
 */
async function withOpenModel<T>(dir: string, use: (manifest: Manifest, fds: Record<string, number>) => Promise<T>): Promise<T> {
  const manifest = await readManifest(dir);
  checkCoreFilesListed(dir, manifest);
  const handles: FileHandle[] = [];
  try {
    const fds: Record<string, number> = {};
    for (const name of Object.keys(manifest.files)) {
      const file = path.join(dir, name);
      const h = await open(file, 'r').catch(() => {
        throw new Error(`${file}: missing (listed in the model manifest)`);
      });
      handles.push(h);
      fds[name] = h.fd;
    }
    return await use(manifest, fds);
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
}

/** What a load thread is asked for: one part of a model directory whose manifest is read, its files open. */
export interface LoadTask {
  dir: string;
  manifest: Manifest;
  part: ModelPartName;
  /** Descriptors of the listed files, by name (withOpenModel). */
  fds: Record<string, number>;
}

/** The interactions first: the largest part starts at once, the others share the second thread. */
const MODEL_PARTS = ['interactions.parquet', 'users.parquet', 'items.parquet', 'extras'] as const;
type ModelPartName = (typeof MODEL_PARTS)[number];

export type ModelPart =
  | { part: 'users.parquet' | 'items.parquet'; ids: Utf8Strings; factors: Float32Array }
  | { part: 'interactions.parquet'; seen: ModelData['seen'] }
  | { part: 'extras'; extras: [string, Uint8Array][] };

function checkCoreFilesListed(dir: string, manifest: Manifest): void {
  for (const core of CORE_FILES) {
    if (!(core in manifest.files)) throw new Error(`${path.join(dir, 'manifest.json')}: does not list ${core}`);
  }
}

/** A file listed in the manifest, read whole and checked against its size and checksum. */
async function readVerified(dir: string, name: string, meta: { bytes: number; sha256: string }, fd: number): Promise<Uint8Array> {
  const file = path.join(dir, name);
  let bytes: Uint8Array;
  try {
    bytes = await readFd(fd);
  } catch (err) {
    throw new Error(`${file}: cannot be read (${errorMessage(err)})`);
  }
  if (bytes.length !== meta.bytes || sha256([bytes]) !== meta.sha256) {
    throw new Error(`${file}: checksum mismatch (the file is corrupt or was changed after the model was saved)`);
  }
  return bytes;
}

/**
 * One part of a model directory: a core file verified and then decoded from the verified bytes
 * (no second read from disk), a row group at a time, into arrays in shared memory; or every
 * extra file, verified.
 */
export async function readModelPart(dir: string, manifest: Manifest, part: ModelPartName, fds: Record<string, number>): Promise<ModelPart> {
  if (part === 'extras') {
    const extras: [string, Uint8Array][] = [];
    for (const [name, meta] of Object.entries(manifest.files)) {
      if (!(CORE_FILES as readonly string[]).includes(name)) extras.push([name, await readVerified(dir, name, meta, fds[name])]);
    }
    return { part, extras };
  }
  const bytes = await readVerified(dir, part, manifest.files[part], fds[part]);
  const file = path.join(dir, part);
  if (part === 'interactions.parquet') return { part, seen: await decodeInteractions(bytes, file, manifest.counts) };
  const k = manifest.counts.factors;
  const idName = part === 'users.parquet' ? 'user_id' : 'item_id';
  const acc = await decodeParquet(
    bytes,
    file,
    (rows) => ({ ids: new Utf8Collector(rows), factors: sharedArray(Float32Array, rows * k) }),
    (acc, t, offset) => {
      readStringColumn(t, idName, file, acc.ids);
      readFactorColumns(t, k, file, acc.factors, offset);
    },
  );
  return { part, ids: acc.ids.finish(), factors: acc.factors };
}

/**
 * The interactions file into a CSR of the manifest's users, its entries checked: an index out of
 * range would be read past the factors by every later call, and a pref or weight out of bounds
 * would be folded into a solve.
 */
async function decodeInteractions(bytes: Uint8Array, file: string, counts: Manifest['counts']): Promise<ModelData['seen']> {
  const seen = await decodeParquet(
    bytes,
    file,
    (rows) => ({
      // Only read to build indptr: not handed back, so not shared.
      userIndex: largeArray(Int32Array, rows),
      indices: sharedArray(Int32Array, rows),
      pref: sharedArray(Float32Array, rows),
      weight: sharedArray(Float32Array, rows),
    }),
    (acc, t, offset) => {
      readNumericColumn(t, 'user_index', file, acc.userIndex, offset);
      readNumericColumn(t, 'item_index', file, acc.indices, offset);
      readNumericColumn(t, 'pref', file, acc.pref, offset);
      readNumericColumn(t, 'weight', file, acc.weight, offset);
    },
  );
  const { userIndex, indices, pref, weight } = seen;
  const { users, items, nnz } = counts;
  if (indices.length !== nnz) throw new Error(`${file}: ${indices.length} interactions, manifest says ${nnz}`);
  const indptr = sharedArray(Int32Array, users + 1);
  for (let p = 0; p < userIndex.length; p++) {
    const u = userIndex[p];
    if (!(u >= 0 && u < users) || (p > 0 && u < userIndex[p - 1])) throw new Error(`${file}: row ${p}: user_index ${u} out of order or range`);
    if (!(indices[p] >= 0 && indices[p] < items)) throw new Error(`${file}: row ${p}: item_index ${indices[p]} outside [0, ${items})`);
    if (pref[p] !== 0 && pref[p] !== 1) throw new Error(`${file}: row ${p}: pref ${pref[p]}, expected 0 or 1`);
    if (!(weight[p] >= 0 && weight[p] < Infinity)) throw new Error(`${file}: row ${p}: weight ${weight[p]}, expected finite and ≥ 0`);
    indptr[u + 1]++;
  }
  for (let u = 0; u < users; u++) indptr[u + 1] += indptr[u];
  return { indptr, indices, pref, weight };
}

/** The parts (in MODEL_PARTS order) as one ModelFiles, with the factor files' counts checked against the manifest. */
function assembleModelFiles(dir: string, manifest: Manifest, parts: ModelPart[]): ModelFiles {
  const byPart = new Map(parts.map((p) => [p.part, p] as const));
  const factorPart = (name: 'users.parquet' | 'items.parquet', count: number, what: string) => {
    const p = byPart.get(name) as Extract<ModelPart, { part: 'users.parquet' | 'items.parquet' }>;
    const rows = p.ids.offsets.length - 1;
    if (rows !== count) throw new Error(`${path.join(dir, name)}: ${rows} ${what}, manifest says ${count}`);
    return p;
  };
  const users = factorPart('users.parquet', manifest.counts.users, 'users');
  const items = factorPart('items.parquet', manifest.counts.items, 'items');
  const { seen } = byPart.get('interactions.parquet') as Extract<ModelPart, { part: 'interactions.parquet' }>;
  const { extras } = byPart.get('extras') as Extract<ModelPart, { part: 'extras' }>;
  return { manifest, userIds: users.ids, itemIds: items.ids, userFactors: users.factors, itemFactors: items.factors, seen, extras };
}

/** The manifest of a model directory, checked for format and completeness; no other file is read. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`${dir}: not a mixtape model directory (no manifest.json)`);
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (err) {
    throw new Error(`${file}: invalid JSON (${errorMessage(err)})`);
  }
  if (m?.format !== MODEL_FORMAT) throw new Error(`${file}: not a mixtape model manifest`);
  if (typeof m.formatVersion === 'number' && m.formatVersion > MODEL_FORMAT_VERSION) {
    throw new Error(`${file}: model format version ${m.formatVersion} is newer than this mixtape supports (${MODEL_FORMAT_VERSION}); upgrade mixtape`);
  }
  if (!m.counts || !m.files || !m.params) throw new Error(`${file}: manifest is incomplete (counts, params or files missing)`);
  // Every value the load sizes arrays by or a solve takes: a changed digit (factors 64 → 32) loaded
  // a model that answered with the wrong columns instead of failing here.
  const checked = manifestSchema.safeParse(m);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`${file}: ${issue.path.length > 0 ? issue.path.join('.') : 'manifest'}: ${issue.message}`);
  }
  // Plain names inside the directory: a listed '../x' would be read from outside it.
  for (const name of Object.keys(m.files)) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`${file}: files: '${name}' is not a plain file name inside the model directory`);
  }
  return m;
}
