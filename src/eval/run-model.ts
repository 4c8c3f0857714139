/**
 * Training the evaluated model on a run split: ALS on the training matrix with the run's
 * parameters, the loss per iteration, and — for the users split — the test users' factors folded
 * in from their fold-in histories (the one-row ALS solve with item factors fixed).
 */
import { foldInVector, type FoldInEntry } from '../retrieve/fold-in.js';
import { train } from '../train/train.js';
import type { Model } from '../model/model.js';
import type { Interactions, TrainOptions } from '../types.js';
import type { RunSplit } from './run-split.js';

export interface TrainedRunModel {
  model: Model;
  /** users × factors, with fold-in rows for unseen test users. */
  userFactors: Float32Array;
  itemFactors: Float32Array;
  factors: number;
  loss: { iteration: number; loss: number; seconds: number }[];
  seconds: number;
}

export async function trainRunModel(split: RunSplit, opts: TrainOptions, computeLoss = true): Promise<TrainedRunModel> {
  const t0 = performance.now();
  const loss: TrainedRunModel['loss'] = [];
  const model = await train(split.train, {
    ...opts,
    computeLoss,
    ...(computeLoss ? { onIteration: (i) => loss.push({ iteration: i.iteration, loss: i.loss, seconds: i.seconds }) } : {}),
  });
  const k = model.factors;
  let userFactors = model.data.userFactors;
  if (split.foldIn) userFactors = foldInUsers(model, split.foldIn, split.users ?? new Int32Array(0));
  return { model, userFactors, itemFactors: model.data.itemFactors, factors: k, loss, seconds: (performance.now() - t0) / 1000 };
}

/** A copy of the model's user factors with the listed users' rows solved from `history`. */
export function foldInUsers(model: Model, history: Interactions, users: Int32Array): Float32Array {
  const k = model.factors;
  const out = model.data.userFactors.slice();
  const gram = model.itemGram();
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const entries: FoldInEntry[] = [];
    for (let p = history.indptr[u]; p < history.indptr[u + 1]; p++) entries.push({ item: history.indices[p], weight: history.weight[p], pref: history.pref[p] > 0 ? 1 : 0 });
    out.set(entries.length > 0 ? foldInVector(entries, model.data.itemFactors, gram, model.params) : new Float32Array(k), u * k);
  }
  return out;
}

/** Each user's history: training rows, and the fold-in rows of unseen test users (users split). */
export function historyRows(split: RunSplit): Interactions {
  return split.foldIn ? mergeRows(split.train, split.foldIn) : split.train;
}

/** Row-wise union of two matrices with disjoint non-empty rows (train rows of known users, fold-in rows of unseen ones). */
function mergeRows(a: Interactions, b: Interactions): Interactions {
  const rows = a.users.size;
  const nnz = a.indices.length + b.indices.length;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const pref = new Float32Array(nnz);
  const weight = new Float32Array(nnz);
  let w = 0;
  for (let u = 0; u < rows; u++) {
    const src = a.indptr[u + 1] > a.indptr[u] ? a : b;
    for (let p = src.indptr[u]; p < src.indptr[u + 1]; p++) {
      indices[w] = src.indices[p];
      pref[w] = src.pref[p];
      weight[w++] = src.weight[p];
    }
    indptr[u + 1] = w;
  }
  return { users: a.users, items: a.items, indptr, indices: indices.slice(0, w), pref: pref.slice(0, w), weight: weight.slice(0, w) };
}

