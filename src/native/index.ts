/**
 * Typed surface of the native core (the `mixtape_native` Node-API addon). Every function validates
 * its arguments and throws a TypeError (wrong kind) or RangeError (bad length, range or value) whose
 * message names the argument. Typed arrays may be views over SharedArrayBuffers. Async variants run
 * on the libuv thread pool: arrays over plain ArrayBuffers are copied at the call and outputs copied
 * back when the promise settles (so they may be changed or transferred meanwhile; a transferred
 * output rejects with a TypeError naming it), while SharedArrayBuffer-backed arrays are used in
 * place — pass those to avoid the copies.
 *
 * The addon is looked up, in order, at $MIXTAPE_NATIVE_PATH, build/Release and build/Debug under the
 * package root (the nearest folder above this file holding package.json).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CsrArrays {
  indptr: Int32Array;
  indices: Int32Array;
}

export interface AlsHalfStepArgs {
  /** The CSR whose rows are solved, with preference and confidence per entry. */
  indptr: Int32Array;
  indices: Int32Array;
  pref: Float32Array;
  conf: Float32Array;
  /** rows×factors; solved rows are written in place (and are CG's warm start). */
  X: Float32Array;
  /** cols×factors, fixed. */
  Y: Float32Array;
  /** factors×factors gram of Y, without λ. */
  YtY: Float32Array;
  factors: number;
  regularization: number;
  /** Half-open range of rows to solve. */
  rowBegin: number;
  rowEnd: number;
  solver: 'cg' | 'cholesky';
  cgSteps: number;
}

export interface LossArgs {
  indptr: Int32Array;
  indices: Int32Array;
  pref: Float32Array;
  conf: Float32Array;
  X: Float32Array;
  Y: Float32Array;
  factors: number;
  regularization: number;
  /** User rows [rowBegin, rowEnd) to sum over (default: all). */
  rowBegin?: number;
  rowEnd?: number;
}

/** The additive parts of the implicit objective over a range of user rows: shards of rows sum to the whole. */
export interface LossParts {
  /** Σ over the rows and all items of c (p − x·y)² (unobserved: c = 1, p = 0). */
  fit: number;
  /** Σ_u |x_u|² over the rows. */
  normX: number;
  /** Σ_i |y_i|², the same for every range of rows. */
  normY: number;
  /** Σ c over the rows' nonzeros. */
  confSum: number;
}

/** The objective over the rows given, as if they were the whole problem, with its parts. */
export interface LossResult extends LossParts {
  /** fit + λ(normX + normY). */
  raw: number;
  /** raw / (confSum + rows·cols − nnz): the mean weighted squared error per entry. */
  normalized: number;
}

export interface ScoreTopKArgs {
  U: Float32Array;
  V: Float32Array;
  factors: number;
  /** Rows of U to score. */
  userBegin: number;
  userEnd: number;
  /** Results per user. */
  n: number;
  /** Items never returned, rows indexed by absolute user row of U (indptr length rows(U)+1). */
  exclude?: CsrArrays;
  /** Optional additive per-item term, length items. */
  itemBias?: Float32Array;
  /** Length (userEnd-userBegin)*n, row-major; missing results are item −1 with score −Infinity. */
  outItems: Int32Array;
  outScores: Float32Array;
  /**
   * The 8-bit pre-filter (exact: the results are the same bit for bit). 'auto' (default) uses it
   * where it was measured faster, in builds with VNNI (`nativeInfo().topkPrefilter === 'vnni'`):
   * ≥ 2,048 items and 16–256 factors; with `prepared` items, for up to 16 users or with ≥ 256
   * items per result (items ≥ 256·n); without them (each call then quantizes V), for ≥ 512 users
   * with ≥ 256 items per result and transient buffers within 256 MiB (about 0.7× V's bytes at 64
   * factors). 'int8' uses it whenever the build (AVX2) and the values allow; 'off' never.
   */
  prefilter?: TopKPrefilter;
  /**
   * V (and itemBias) quantized once by `prepareItems`: the call skips that pass, so 'auto' takes
   * the pre-filter from one user on (see `prefilter`). Must be made from this call's V, factors
   * and itemBias (the same memory; a RangeError otherwise).
   */
  prepared?: PreparedItems;
}

/** Arguments of `prepareItems`: the item side of later `scoreTopK` calls. */
export interface PrepareItemsArgs {
  /** items × factors, on a SharedArrayBuffer (calls are checked against this memory). */
  V: Float32Array;
  factors: number;
  /** On a SharedArrayBuffer too, when the calls pass one. */
  itemBias?: Float32Array;
}

/**
 * Items quantized for the exact 8-bit pre-filter, once for many top-k calls over the same V. A
 * snapshot: V and itemBias must not be written while it is used (it holds them, so their memory
 * stays put, and calls check they get that memory; their contents are not compared).
 */
export interface PreparedItems {
  readonly items: number;
  readonly factors: number;
  /** False where the build has no pre-filter, factors > 256, or V holds non-finite values: calls then run the float kernel. */
  readonly usable: boolean;
  /** Native memory held. */
  readonly bytes: number;
  /** Whether a call with these arrays may use it (the same memory, e.g. views received by another thread). */
  matches(args: PrepareItemsArgs): boolean;
}

export type TopKPrefilter = 'auto' | 'off' | 'int8';
/** Which kernel a top-k call ran: the 8-bit pre-filter or the float kernel alone. */
export type TopKPath = 'int8' | 'float';

export interface SgemmBenchArgs {
  /** C (m×n) = A (m×k) · Bᵀ (B is n×k), timed `reps` times after one warm-up product. */
  m: number;
  n: number;
  k: number;
  reps: number;
}

export interface SgemmBenchResult {
  seconds: number;
  gflops: number;
  /** 'cblas_sgemm' or 'own micro-kernel'. */
  impl: string;
}

export interface NativeInfo {
  simdCompiled: string;
  simdDetected: string;
  blas: string;
  /** The exact 8-bit pre-filter of top-k: 'vnni' (used by default), 'avx2' (on request), or 'none'. */
  topkPrefilter: 'vnni' | 'avx2' | 'none';
  version: string;
}

interface NativeAddon {
  gram(Y: Float32Array, factors: number, out?: Float32Array): Float32Array;
  gramAsync(Y: Float32Array, factors: number, out?: Float32Array): Promise<Float32Array>;
  alsHalfStep(args: AlsHalfStepArgs): void;
  alsHalfStepAsync(args: AlsHalfStepArgs): Promise<void>;
  implicitLoss(args: LossArgs): LossParts;
  scoreTopK(args: ScoreTopKArgs): TopKPath;
  scoreTopKAsync(args: ScoreTopKArgs): Promise<TopKPath>;
  solveSpd(A: Float32Array, B: Float32Array, dim: number, nrhs: number, ridge: number): Float32Array;
  rowDots(V: Float32Array, dim: number, rows: Int32Array, count: number, row: number, out: Float64Array, at: number): void;
  dotsWithVector(V: Float32Array, dim: number, rows: Int32Array, count: number, y: Float32Array, out: Float64Array, at: number): void;
  sgemmBench(args: SgemmBenchArgs): SgemmBenchResult;
  sgemmBenchAsync(args: SgemmBenchArgs): Promise<SgemmBenchResult>;
  adviseHugePages(array: ArrayBufferView): number;
  releasePages(array: ArrayBufferView): number;
  bytesToCacheLine(array: ArrayBufferView): number;
  nativeInfo(): NativeInfo;
  PreparedItems: new (args: PrepareItemsArgs) => PreparedItems;
  prepareItemsAsync(args: PrepareItemsArgs): Promise<PreparedItems>;
}

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`mixtape native: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function findAddon(): string {
  const fromEnv = process.env.MIXTAPE_NATIVE_PATH;
  const root = packageRoot();
  const candidates = fromEnv
    ? [path.resolve(fromEnv)]
    : ['Release', 'Debug'].map((config) => path.join(root, 'build', config, 'mixtape_native.node'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `mixtape native addon not found (looked at ${candidates.join(', ')}); build it with \`npm run build:native\``,
    );
  }
  return found;
}

const addonPath = findAddon();
const addon = createRequire(import.meta.url)(addonPath) as NativeAddon;

/** Absolute path of the loaded addon file (plain-JS workers can `require` it directly). */
export function nativeAddonPath(): string {
  return addonPath;
}

/** G = YᵀY (factors×factors, full symmetric) of the row-major Y; written into `out` when given. */
export function gram(Y: Float32Array, factors: number, out?: Float32Array): Float32Array {
  return addon.gram(Y, factors, out);
}

/** `gram` on the thread pool. */
export function gramAsync(Y: Float32Array, factors: number, out?: Float32Array): Promise<Float32Array> {
  return addon.gramAsync(Y, factors, out);
}

/**
 * Solves rows [rowBegin, rowEnd) of X: (YᵀY + Σ (c−1) y yᵀ + λI) x_u = Σ c p y, by CG (warm
 * start, cgSteps steps) or exactly by Cholesky. Rows without entries become 0.
 */
export function alsHalfStep(args: AlsHalfStepArgs): void {
  addon.alsHalfStep(args);
}

/** `alsHalfStep` on the thread pool. */
export function alsHalfStepAsync(args: AlsHalfStepArgs): Promise<void> {
  return addon.alsHalfStepAsync(args);
}

/** The implicit-ALS loss over rows [rowBegin, rowEnd) (default all) of the user side. */
export function implicitLoss(args: LossArgs): LossResult {
  const parts = addon.implicitLoss(args);
  // The kernel has validated the arguments, so the shape below is sound.
  const rows = args.indptr.length - 1;
  const begin = args.rowBegin ?? 0;
  const end = args.rowEnd ?? rows;
  const nnz = args.indptr[end] - args.indptr[begin];
  return { ...parts, ...lossFromParts([parts], end - begin, args.Y.length / args.factors, nnz, args.regularization) };
}

/**
 * The whole objective from the parts of all `rows` user rows (their `nnz` entries, `cols` items):
 * L = Σ fit + λ(Σ normX + normY), normalised by the number of entries weighted by confidence.
 */
export function lossFromParts(parts: readonly LossParts[], rows: number, cols: number, nnz: number, regularization: number): { raw: number; normalized: number } {
  let fit = 0;
  let normX = 0;
  let confSum = 0;
  for (const p of parts) {
    fit += p.fit;
    normX += p.normX;
    confSum += p.confSum;
  }
  const raw = fit + regularization * (normX + (parts.length > 0 ? parts[0].normY : 0));
  const denom = confSum + rows * cols - nnz;
  return { raw, normalized: denom > 0 ? raw / denom : 0 };
}

/**
 * Top-n items of V for users [userBegin, userEnd) of U, best first, ties to the lower item.
 * Returns the kernel that ran (see `ScoreTopKArgs.prefilter`); the results do not depend on it.
 */
export function scoreTopK(args: ScoreTopKArgs): TopKPath {
  return addon.scoreTopK(args);
}

/** `scoreTopK` on the thread pool; resolves with the path taken. */
export function scoreTopKAsync(args: ScoreTopKArgs): Promise<TopKPath> {
  return addon.scoreTopKAsync(args);
}

/**
 * Quantizes V (and itemBias) for the top-k pre-filter once, for many calls (`ScoreTopKArgs.prepared`):
 * at 200,000 items × 64 a one-user call then reads a quarter of the bytes. Synchronous, tens of ms
 * at that size; the result holds about a third of V's bytes (64 factors) in native memory.
 */
export function prepareItems(args: PrepareItemsArgs): PreparedItems {
  return new addon.PreparedItems(args);
}

/** `prepareItems` on the thread pool (the caller's event loop stays free meanwhile). */
export function prepareItemsAsync(args: PrepareItemsArgs): Promise<PreparedItems> {
  return addon.prepareItemsAsync(args);
}

/** X (dim×nrhs) solving (A + ridge·I) X = B for a symmetric positive definite A (dim×dim). */
export function solveSpd(A: Float32Array, B: Float32Array, dim: number, nrhs: number, ridge: number): Float32Array {
  return addon.solveSpd(A, B, dim, nrhs, ridge);
}

/**
 * out[at + i] = V[rows[i]] · V[row] for i < count, V row-major with `dim` floats a row: float64 sums
 * in a fixed order (four partial sums by j mod 4; written plainly in test/reference/row-dots.ts),
 * the order of the JS dot products these calls replaced, so playlists kept their bits.
 * Synchronous; for the re-ranker, which calls it once per pick with a user's candidates.
 */
export function rowDots(V: Float32Array, dim: number, rows: Int32Array, count: number, row: number, out: Float64Array, at = 0): void {
  addon.rowDots(V, dim, rows, count, row, out, at);
}

/**
 * out[at + i] = V[rows[i]] · y for i < count, y of `dim` floats: `rowDots` with a vector that is
 * not one of V's rows (the hybrid stage's content profile of a user), summed in the same order.
 */
export function dotsWithVector(V: Float32Array, dim: number, rows: Int32Array, count: number, y: Float32Array, out: Float64Array, at = 0): void {
  addon.dotsWithVector(V, dim, rows, count, y, out, at);
}

/** Times the reference dense product in this thread (the rate other kernels are compared with). */
export function sgemmBench(args: SgemmBenchArgs): SgemmBenchResult {
  return addon.sgemmBench(args);
}

/** `sgemmBench` on the thread pool: run one per core at once for the all-core rate. */
export function sgemmBenchAsync(args: SgemmBenchArgs): Promise<SgemmBenchResult> {
  return addon.sgemmBenchAsync(args);
}

/**
 * Asks the kernel for 2 MiB pages under `array` (Linux transparent huge pages in "madvise" mode);
 * returns the bytes advised, 0 where there is no such advice. Call it before the array is first
 * written: pages already touched keep their size.
 */
export function adviseHugePages(array: ArrayBufferView): number {
  return addon.adviseHugePages(array);
}

/**
 * Gives the whole pages under `array` back to the system once its contents are no longer needed
 * (Linux); returns the bytes released, which read as zeros afterwards (0 where there is no such
 * call). The array stays usable.
 */
export function releasePages(array: ArrayBufferView): number {
  return addon.releasePages(array);
}

/** Bytes from the start of `array` to the next 64-byte boundary of its memory (0 when aligned). */
export function bytesToCacheLine(array: ArrayBufferView): number {
  return addon.bytesToCacheLine(array);
}

/** The instruction set compiled in and detected, the BLAS in use and the addon version. */
export function nativeInfo(): NativeInfo {
  return addon.nativeInfo();
}
