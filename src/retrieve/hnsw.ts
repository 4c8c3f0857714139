/**
 * Approximate maximum-inner-product retrieval with an HNSW graph (hnswlib-node) over item factors.
 *
 * Two ways to turn MIPS into a nearest-neighbour search:
 *   'augmented' — append sqrt(M² − |v|²) to every item (M = largest item norm) and 0 to the query;
 *                 then |q − v|² = |q|² + M² − 2 q·v, so the L2 neighbours are the top inner products.
 *   'ip'        — hnswlib's inner-product space (distance 1 − q·v) directly.
 * bench/retrieval.ts measures both. DEFAULT_SPACE is 'augmented': on a trained implicit-ALS model
 * (100,000 tracks, k = 64, norms from 0 to 5) it reached recall@100 0.94 at ef 400 and 0.97 at
 * ef 800, where 'ip' stalled near 0.5 at any ef (inner product is not a metric, and with norms
 * spanning orders of magnitude the graph's neighbourhoods do not lead to the long vectors that
 * win). (On generated factors with random norms 'ip' had looked better.)
 *
 * Where it pays: one query at a time. Exact scoring of a single user reads the whole item matrix
 * (51 MB at 200,000 × 64), so it is bound by memory bandwidth; on a trained 200,000-track model the
 * graph (M 32, ef 400) answers at recall@100 0.95 about 15× faster per CPU-second — the online path
 * (`weeklyPlaylist` with retrieval 'hnsw'). Exact scoring of users in blocks of 1024 runs at
 * matrix-multiply speed and is as fast as the graph at that recall, so the weekly batch job
 * retrieves exactly by default.
 *
 * The index is built once per model and stored beside it in the model directory as
 * `hnsw.index` (hnswlib's own format) and `hnsw.json` (parameters and a fingerprint of the item
 * factors, so an index from another model is refused).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { writeFileAtomic, writeViaTemp } from '../util/atomic.js';
import type { CandidateLists } from './candidates.js';
import { errorMessage } from '../util/error-message.js';
import { INDEX_FILE, INDEX_META_FILE } from './index-files.js';

export type MipsSpace = 'augmented' | 'ip';
export const DEFAULT_SPACE: MipsSpace = 'augmented';
export { INDEX_FILE, INDEX_META_FILE };
const META_FORMAT = 'mixtape-hnsw';
const META_VERSION = 1;

export interface HnswOptions {
  space?: MipsSpace;
  /** Graph degree (default 32: on a trained 200,000-track model it reached recall 0.95 at ef 400, where 16 needed ef ≥ 600, for the same build time). */
  M?: number;
  /** Candidate list size while building (default 200). */
  efConstruction?: number;
  /** Candidate list size while searching (default 400; raised to the number of results asked). */
  ef?: number;
  seed?: number;
}

export interface HnswMeta {
  format: typeof META_FORMAT;
  version: number;
  space: MipsSpace;
  M: number;
  efConstruction: number;
  ef: number;
  seed: number;
  items: number;
  factors: number;
  /** Largest item norm (the augmentation constant). */
  maxNorm: number;
  /** SHA-256 of the item factor bytes the index was built from. */
  itemsSha256: string;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`hnsw: ${name} must be an integer ≥ 1, got ${v}`);
  return v;
}

export function factorFingerprint(itemFactors: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(itemFactors.buffer, itemFactors.byteOffset, itemFactors.byteLength)).digest('hex');
}

export class HnswIndex {
  private efCurrent = 0;
  /** Marks of the current query's excluded items (reset after each query). */
  private marks: Uint8Array;
  private query: number[];

  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    readonly meta: HnswMeta,
    private readonly itemFactors: Float32Array,
  ) {
    this.marks = new Uint8Array(meta.items);
    this.query = new Array<number>(meta.space === 'augmented' ? meta.factors + 1 : meta.factors).fill(0);
    this.setEf(meta.ef);
  }

  /** Build the graph over items × k factors (single-threaded; once per model). */
  static build(itemFactors: Float32Array, k: number, opts: HnswOptions = {}, onProgress?: (done: number, total: number) => void): HnswIndex {
    positiveInt('factors', k);
    if (itemFactors.length % k !== 0) throw new RangeError(`hnsw: itemFactors length ${itemFactors.length} is not a multiple of ${k}`);
    const n = itemFactors.length / k;
    positiveInt('items', n);
    const space = opts.space ?? DEFAULT_SPACE;
    if (space !== 'augmented' && space !== 'ip') throw new RangeError(`hnsw: space must be 'augmented' or 'ip', got '${String(space)}'`);
    const M = positiveInt('M', opts.M ?? 32);
    const efConstruction = positiveInt('efConstruction', opts.efConstruction ?? 200);
    const ef = positiveInt('ef', opts.ef ?? 400);
    const seed = opts.seed ?? 100;
    let maxSq = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += itemFactors[i * k + j] * itemFactors[i * k + j];
      if (s > maxSq) maxSq = s;
    }
    const dim = space === 'augmented' ? k + 1 : k;
    const index = new hnswlib.HierarchicalNSW(space === 'augmented' ? 'l2' : 'ip', dim);
    index.initIndex(n, M, efConstruction, seed);
    const point = new Array<number>(dim).fill(0);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) {
        const x = itemFactors[i * k + j];
        point[j] = x;
        s += x * x;
      }
      if (space === 'augmented') point[k] = Math.sqrt(Math.max(0, maxSq - s));
      index.addPoint(point, i);
      if (onProgress && (i + 1) % 4096 === 0) onProgress(i + 1, n);
    }
    onProgress?.(n, n);
    const meta: HnswMeta = {
      format: META_FORMAT,
      version: META_VERSION,
      space,
      M,
      efConstruction,
      ef,
      seed,
      items: n,
      factors: k,
      maxNorm: Math.sqrt(maxSq),
      itemsSha256: factorFingerprint(itemFactors),
    };
    return new HnswIndex(index, meta, itemFactors);
  }

  /** Write `hnsw.index` and `hnsw.json` into a model directory (each atomically). */
  async save(dir: string): Promise<void> {
    await writeViaTemp(path.join(dir, INDEX_FILE), (tmp) => this.index.writeIndex(tmp).then(() => undefined));
    await writeFileAtomic(path.join(dir, INDEX_META_FILE), JSON.stringify(this.meta, null, 2) + '\n');
  }

  /**
   * Read the index stored in a model directory for these item factors. Throws when it is missing,
   * malformed, or was built from other factors.
   */
  static async load(dir: string, itemFactors: Float32Array, k: number, opts: { ef?: number; verify?: boolean } = {}): Promise<HnswIndex> {
    const metaFile = path.join(dir, INDEX_META_FILE);
    let meta: HnswMeta;
    try {
      meta = JSON.parse(await fs.readFile(metaFile, 'utf8')) as HnswMeta;
    } catch (err) {
      throw new Error(`${metaFile}: cannot read the HNSW index description (${errorMessage(err)}); build it with saveIndex`);
    }
    if (meta?.format !== META_FORMAT || meta.version !== META_VERSION) throw new Error(`${metaFile}: not a mixtape HNSW index description`);
    if (meta.factors !== k || meta.items * k !== itemFactors.length) {
      throw new Error(`${metaFile}: index is for ${meta.items} items × ${meta.factors} factors, the model has ${itemFactors.length / k} × ${k}`);
    }
    if ((opts.verify ?? true) && meta.itemsSha256 !== factorFingerprint(itemFactors)) {
      throw new Error(`${metaFile}: index was built from other item factors (rebuild it for this model)`);
    }
    const index = new hnswlib.HierarchicalNSW(meta.space === 'augmented' ? 'l2' : 'ip', meta.space === 'augmented' ? k + 1 : k);
    const file = path.join(dir, INDEX_FILE);
    try {
      index.readIndexSync(file);
    } catch (err) {
      throw new Error(`${file}: cannot read the HNSW index (${errorMessage(err)})`);
    }
    if (index.getCurrentCount() !== meta.items) throw new Error(`${file}: holds ${index.getCurrentCount()} items, expected ${meta.items}`);
    return new HnswIndex(index, { ...meta, ef: opts.ef ?? meta.ef }, itemFactors);
  }

  get ef(): number {
    return this.efCurrent;
  }

  setEf(ef: number): void {
    positiveInt('ef', ef);
    this.meta.ef = ef;
    this.apply(ef);
  }

  private apply(ef: number): void {
    if (ef !== this.efCurrent) {
      this.index.setEf(ef);
      this.efCurrent = ef;
    }
  }

  /**
   * Top-`width` items for one query vector, skipping `excluded` (sorted or not), written into
   * out.items/out.scores at row `row`. Oversamples by the number of exclusions and doubles the
   * request until `width` eligible items are found or the catalog is exhausted, so exclusions
   * never shrink the list. Scores are the exact inner products, best first. Returns the count.
   */
  search(query: Float32Array, width: number, excluded: Int32Array, out: CandidateLists, row: number): number {
    const { factors: k, items: n } = this.meta;
    const q = this.query;
    for (let j = 0; j < k; j++) q[j] = query[j];
    const marks = this.marks;
    let excl = 0;
    for (let p = 0; p < excluded.length; p++) {
      const it = excluded[p];
      if (it >= 0 && it < n && marks[it] === 0) {
        marks[it] = 1;
        excl++;
      }
    }
    const base = row * out.width;
    const want = Math.min(width, n - excl);
    let ask = Math.min(n, width + excl);
    let got = 0;
    for (;;) {
      this.apply(Math.max(this.meta.ef, ask));
      const res = this.index.searchKnn(q, ask);
      got = 0;
      for (let r = 0; r < res.neighbors.length && got < width; r++) {
        const it = res.neighbors[r];
        if (marks[it] === 1) continue;
        out.items[base + got] = it;
        let s = 0;
        for (let j = 0; j < k; j++) s += query[j] * this.itemFactors[it * k + j];
        out.scores[base + got] = s;
        got++;
      }
      if (got >= want || ask >= n) break;
      ask = Math.min(n, ask * 2);
    }
    for (let p = 0; p < excluded.length; p++) if (excluded[p] >= 0 && excluded[p] < n) marks[excluded[p]] = 0;
    sortRow(out, base, got);
    for (let j = got; j < width; j++) {
      out.items[base + j] = -1;
      out.scores[base + j] = Number.NEGATIVE_INFINITY;
    }
    return got;
  }

  /** Candidates for every query row with its exclusion row (CSR aligned with the queries). */
  candidates(queries: Float32Array, width: number, exclude: { indptr: Int32Array; indices: Int32Array }): CandidateLists {
    const k = this.meta.factors;
    const m = queries.length / k;
    const out: CandidateLists = { width, items: new Int32Array(m * width), scores: new Float32Array(m * width) };
    for (let u = 0; u < m; u++) {
      this.search(queries.subarray(u * k, (u + 1) * k), width, exclude.indices.subarray(exclude.indptr[u], exclude.indptr[u + 1]), out, u);
    }
    return out;
  }
}

/** Insertion sort of one row by score, best first, ties to the lower item (rows are short and nearly sorted). */
function sortRow(out: CandidateLists, base: number, count: number): void {
  const { items, scores } = out;
  for (let a = base + 1; a < base + count; a++) {
    const s = scores[a];
    const it = items[a];
    let b = a - 1;
    while (b >= base && (scores[b] < s || (scores[b] === s && items[b] > it))) {
      scores[b + 1] = scores[b];
      items[b + 1] = items[b];
      b--;
    }
    scores[b + 1] = s;
    items[b + 1] = it;
  }
}

/** Build the index for a model's item factors and store it in the model directory. */
export async function saveIndex(dir: string, itemFactors: Float32Array, k: number, opts: HnswOptions = {}, onProgress?: (done: number, total: number) => void): Promise<HnswIndex> {
  const index = HnswIndex.build(itemFactors, k, opts, onProgress);
  await index.save(dir);
  return index;
}

/** The index stored in a model directory (see HnswIndex.load). */
export function loadIndex(dir: string, itemFactors: Float32Array, k: number, opts: { ef?: number; verify?: boolean } = {}): Promise<HnswIndex> {
  return HnswIndex.load(dir, itemFactors, k, opts);
}
