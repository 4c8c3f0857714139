/**
 * Item-based k-nearest-neighbours (cosine over the users × items matrix). The similarities are
 * found sparsely (see item-neighbours.ts): cost Σ_u |items(u)|², not items².
 */
import type { CsrMatrix } from '../data/csr.js';
import { transposeCsr } from '../data/csr-transpose.js';
import type { Interactions } from '../types.js';
import { sharedArray, toShared } from '../util/shared-memory.js';
import { createWorkerPool, defaultThreads } from '../util/worker-pool.js';
import { shardRows } from '../util/shards.js';
import { checkInteractions } from './entries.js';
import type { ItemKnnTask } from './item-knn-worker.js';
import { itemNeighbours, neighbourShards, type CooccurrenceInput } from './item-neighbours.js';
import { knnLists, type KnnModel } from './item-knn-lists.js';
import { checkRecommendArgs, type Ranker } from './ranker.js';
import type { RowSets } from './sparse.js';

export interface ItemKnnOptions {
  /** Neighbours kept per item (default 100). */
  neighbours?: number;
  /** Matrix values for the cosine: 1 per positive entry, or the entry's weight (default 'binary'). */
  values?: 'binary' | 'weight';
  name?: string;
}

/**
 * Scores item j for user u as Σ_{i ∈ items(u)} sim(i, j), over i whose kept neighbours include j.
 * Only positive training entries (pref > 0) take part. Items scoring 0 are never recommended, so a
 * list can be shorter than k (−1 padded). `ItemKnnRanker.build` finds the neighbours on the
 * caller's thread; `ItemKnnRanker.fit` on a pool of threads, with the same result.
 */
export class ItemKnnRanker implements Ranker {
  readonly name: string;
  readonly neighbours: number;
  /** items × neighbours, best first, −1 padded. */
  readonly neighbourIds: Int32Array;
  readonly neighbourSims: Float32Array;
  private readonly userItems: CsrMatrix;

  private constructor(prepared: Prepared, neighbourIds: Int32Array, neighbourSims: Float32Array) {
    this.name = prepared.name;
    this.neighbours = prepared.neighbours;
    this.userItems = prepared.userItems;
    this.neighbourIds = neighbourIds;
    this.neighbourSims = neighbourSims;
  }

  /** Item-kNN of `train`, its neighbours found on this thread. */
  static build(train: Interactions, opts: ItemKnnOptions = {}): ItemKnnRanker {
    const prepared = prepare(train, opts);
    const nItems = prepared.input.norm.length;
    const ids = new Int32Array(nItems * prepared.neighbours);
    const sims = new Float32Array(nItems * prepared.neighbours);
    itemNeighbours(prepared.input, 0, nItems, prepared.neighbours, ids, sims);
    return new ItemKnnRanker(prepared, ids, sims);
  }

  /**
   * As `build`, with the items' neighbour searches shared among `threads` pool threads (default:
   * the usable cores) over shared memory; ranges are cut by search cost, as heavy listeners make a
   * few items far costlier than the rest.
   */
  static async fit(train: Interactions, opts: ItemKnnOptions & { threads?: number } = {}): Promise<ItemKnnRanker> {
    const threads = opts.threads ?? defaultThreads();
    const prepared = prepare(train, opts, true);
    const { input, neighbours } = prepared;
    const nItems = input.norm.length;
    const ids = sharedArray(Int32Array, nItems * neighbours);
    const sims = sharedArray(Float32Array, nItems * neighbours);
    const bounds = neighbourShards(input, threads * SHARDS_PER_THREAD);
    await onPool(threads, (s) => ({ op: 'neighbours', input, begin: bounds[s], end: bounds[s + 1], neighbours, outIds: ids, outSims: sims }), bounds.length - 1);
    return new ItemKnnRanker(prepared, ids, sims);
  }

  /** Cosine similarity of items a and b if b is among a's kept neighbours, else 0. */
  similarity(a: number, b: number): number {
    for (let s = 0; s < this.neighbours; s++) if (this.neighbourIds[a * this.neighbours + s] === b) return this.neighbourSims[a * this.neighbours + s];
    return 0;
  }

  recommend(users: Int32Array, k: number, exclude: RowSets): Int32Array {
    checkRecommendArgs(this.name, users, k, exclude);
    const out = new Int32Array(users.length * k).fill(-1);
    knnLists(this.model(), users, k, exclude, 0, users.length, out);
    return out;
  }

  /** `recommend` with the users shared among `threads` pool threads (default: the usable cores). */
  async recommendAsync(users: Int32Array, k: number, exclude: RowSets, threads = defaultThreads()): Promise<Int32Array> {
    checkRecommendArgs(this.name, users, k, exclude);
    const out = sharedArray(Int32Array, users.length * k).fill(-1);
    if (users.length === 0 || k === 0) return out;
    const model = this.model(true);
    const shared = { users: toShared(users), exclude: { indptr: toShared(exclude.indptr), indices: toShared(exclude.indices) } };
    // A user's list costs their history length times the neighbours kept: shard by that.
    const cost = new Float64Array(users.length + 1);
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      cost[r + 1] = cost[r] + (u < this.userItems.rows ? this.userItems.indptr[u + 1] - this.userItems.indptr[u] : 0);
    }
    const shards = shardRows(cost, threads * SHARDS_PER_THREAD);
    await onPool(threads, (s) => ({ op: 'lists', model, k, begin: shards[s].begin, end: shards[s].end, out, ...shared }), shards.length);
    return out;
  }

  /** The fitted arrays; `shared` puts them in shared memory (a no-op for a ranker from `fit`). */
  private model(shared = false): KnnModel {
    const share = shared ? toShared : <T>(a: T): T => a;
    return {
      userPtr: share(this.userItems.indptr),
      userCols: share(this.userItems.indices),
      neighbourIds: share(this.neighbourIds),
      neighbourSims: share(this.neighbourSims),
      neighbours: this.neighbours,
    };
  }
}

/** Shards per pool thread, so a thread that finishes early takes another range. */
const SHARDS_PER_THREAD = 4;

/** Runs tasks 0 .. count-1 on a pool of `threads` item-kNN threads. */
async function onPool(threads: number, task: (s: number) => ItemKnnTask, count: number): Promise<void> {
  const pool = createWorkerPool(import.meta.url, 'item-knn-worker', threads);
  try {
    await Promise.all(Array.from({ length: count }, (_, s) => pool.run(task(s))));
  } finally {
    await pool.destroy();
  }
}

/** What both factories need before the neighbour search. */
interface Prepared {
  name: string;
  neighbours: number;
  userItems: CsrMatrix;
  input: CooccurrenceInput;
}

function prepare(train: Interactions, opts: ItemKnnOptions, shared = false): Prepared {
  checkInteractions(train, 'ItemKnnRanker: train');
  const n = opts.neighbours ?? 100;
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`ItemKnnRanker: neighbours must be a positive integer, got ${n}`);
  const userItems = positiveMatrix(train, (opts.values ?? 'binary') === 'weight');
  const itemUsers = transposeCsr(userItems);
  const norm = new Float64Array(userItems.cols);
  const xt = itemUsers.values[0];
  for (let i = 0; i < norm.length; i++) {
    let s = 0;
    for (let p = itemUsers.indptr[i]; p < itemUsers.indptr[i + 1]; p++) s += xt[p] * xt[p];
    norm[i] = Math.sqrt(s);
  }
  // Pool threads read the matrices in place; a plain array would be copied into every task.
  const share = shared ? toShared : <T>(a: T): T => a;
  const input: CooccurrenceInput = {
    userPtr: share(userItems.indptr),
    userCols: share(userItems.indices),
    userValues: share(userItems.values[0]),
    itemPtr: share(itemUsers.indptr),
    itemRows: share(itemUsers.indices),
    itemValues: share(xt),
    norm: share(norm),
  };
  // The ranker keeps the same (shared) arrays, so its lists on the pool copy nothing more.
  const kept: CsrMatrix = { ...userItems, indptr: input.userPtr, indices: input.userCols, values: [input.userValues] };
  return { name: opts.name ?? `item-knn-${n}`, neighbours: n, userItems: kept, input };
}

/** Positive entries of train as a one-channel CsrMatrix (value 1 or the weight). */
function positiveMatrix(train: Interactions, useWeight: boolean): CsrMatrix {
  const rows = train.users.size;
  let nnz = 0;
  for (let p = 0; p < train.indices.length; p++) if (train.pref[p] > 0 && (!useWeight || train.weight[p] > 0)) nnz++;
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let w = 0;
  for (let u = 0; u < rows; u++) {
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
      if (!(train.pref[p] > 0) || (useWeight && !(train.weight[p] > 0))) continue;
      indices[w] = train.indices[p];
      values[w++] = useWeight ? train.weight[p] : 1;
    }
    indptr[u + 1] = w;
  }
  return { rows, cols: train.items.size, indptr, indices, values: [values] };
}
