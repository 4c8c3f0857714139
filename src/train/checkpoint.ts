/**
 * Training checkpoints: the factor matrices after a completed iteration, written atomically to a
 * sibling of the model directory (`.<name>.checkpoint`), so the previous model in the output
 * directory stays intact until the run succeeds. A fingerprint of the input and the parameters
 * guards against resuming a different problem.
 */
import { createHash } from 'node:crypto';
import { clearStaleSiblings } from '../util/stale-siblings.js';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeDirAtomic } from '../util/atomic.js';
import type { Interactions, IterationInfo } from '../types.js';
import type { ResolvedTrainOptions } from './options.js';
import { errorMessage } from '../util/error-message.js';

export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  completedIterations: number;
  history: IterationInfo[];
  userFactors: Float32Array;
  itemFactors: Float32Array;
}

interface CheckpointMeta {
  version: number;
  fingerprint: string;
  completedIterations: number;
  history: { iteration: number; seconds: number; loss: number | null }[];
  users: number;
  items: number;
  factors: number;
  sha256: { user: string; item: string };
}

export function checkpointDir(modelDir: string): string {
  const abs = path.resolve(modelDir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.checkpoint`);
}

/** What must match for a checkpoint to be resumable: the data and every parameter but threads/iterations. */
export function trainingFingerprint(inter: Interactions, o: ResolvedTrainOptions): string {
  const h = createHash('sha256');
  const add = (a: ArrayBufferView): void => {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  };
  add(inter.indptr);
  add(inter.indices);
  add(inter.pref);
  add(inter.weight);
  h.update(inter.users.ids.join('\n'));
  h.update('\0');
  h.update(inter.items.ids.join('\n'));
  const { factors, regularization, alpha, confidence, epsilon, solver, cgSteps, seed } = o;
  h.update(JSON.stringify({ factors, regularization, alpha, confidence, epsilon, solver, cgSteps, seed }));
  return h.digest('hex');
}

const digest = (a: Float32Array): string => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export async function writeCheckpoint(dir: string, fingerprint: string, c: Checkpoint, users: number, items: number, factors: number): Promise<void> {
  const meta: CheckpointMeta = {
    version: CHECKPOINT_VERSION,
    fingerprint,
    completedIterations: c.completedIterations,
    history: c.history.map((h) => ({ ...h, loss: Number.isFinite(h.loss) ? h.loss : null })),
    users,
    items,
    factors,
    sha256: { user: digest(c.userFactors), item: digest(c.itemFactors) },
  };
  await writeDirAtomic(dir, async (tmp) => {
    await writeFile(path.join(tmp, 'user_factors.f32'), bytesOf(c.userFactors));
    await writeFile(path.join(tmp, 'item_factors.f32'), bytesOf(c.itemFactors));
    await writeFile(path.join(tmp, 'checkpoint.json'), JSON.stringify(meta, null, 2));
  });
}

/** The checkpoint in dir, or undefined when there is none; throws when it exists but does not fit. */
export async function readCheckpoint(dir: string, fingerprint: string, users: number, items: number, factors: number): Promise<Checkpoint | undefined> {
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(await readFile(path.join(dir, 'checkpoint.json'), 'utf8')) as CheckpointMeta;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${dir}/checkpoint.json: unreadable (${errorMessage(err)}); delete ${dir} to start over`);
  }
  if (meta.version !== CHECKPOINT_VERSION) throw new Error(`${dir}: checkpoint version ${meta.version} is not supported; delete it to start over`);
  if (meta.fingerprint !== fingerprint) {
    throw new Error(`${dir}: the checkpoint was made from different input data or parameters; rerun with the same ones, or delete it to start over`);
  }
  if (meta.users !== users || meta.items !== items || meta.factors !== factors) throw new Error(`${dir}: checkpoint shape does not match the input`);
  const load = async (name: string, expected: string, length: number): Promise<Float32Array> => {
    const b = await readFile(path.join(dir, name));
    const copy = new Uint8Array(b.length);
    copy.set(b);
    const a = new Float32Array(copy.buffer);
    if (a.length !== length || digest(a) !== expected) throw new Error(`${dir}/${name}: checksum mismatch; delete ${dir} to start over`);
    return a;
  };
  return {
    completedIterations: meta.completedIterations,
    history: (meta.history ?? []).map((h) => ({ ...h, loss: h.loss ?? Number.NaN })),
    userFactors: await load('user_factors.f32', meta.sha256.user, users * factors),
    itemFactors: await load('item_factors.f32', meta.sha256.item, items * factors),
  };
}

export async function removeCheckpoint(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await clearStaleSiblings(dir);
}
