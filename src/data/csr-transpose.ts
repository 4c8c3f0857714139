/**
 * Transposing a CSR matrix (rows × cols → cols × rows) with its value channels: a counting sort by
 * column, so within a column the rows stay in increasing order.
 *
 * Placing each entry straight at its transposed place writes at random over the whole output: with
 * 300,000 columns nearly every write touches a cache line no recent write touched, and the
 * trainer's 100 M-entry item-major copy spent about 15 s on it. Instead the output is cut into
 * about 128 blocks: each entry first goes to the next free slot of the block its place falls
 * in (the blocks fill in sequence, few enough to keep their write positions in cache), and then
 * each block is put in order, its writes at random only within the block.
 */
import { checkRange } from '../util/check-range.js';
import { largeArray } from '../util/large-array.js';
import { lowerBound } from '../util/lower-bound.js';
import type { CsrMatrix } from './csr.js';

/** Makes the zeroed output arrays: plain large arrays, or shared ones for worker threads. */
export interface ArrayMaker {
  (ctor: Int32ArrayConstructor, length: number): Int32Array;
  (ctor: Float32ArrayConstructor, length: number): Float32Array;
}

/**
 * log2 of the entries per block for nnz entries: about 128 blocks. With a block per 65,536 entries
 * (1,500 blocks at 100 M) the first pass took half as long again; smaller counts leave blocks
 * larger than the caches for the second.
 */
export function blockBitsFor(nnz: number): number {
  return Math.min(24, Math.max(10, Math.ceil(Math.log2(Math.max(1, nnz) / 128))));
}

export function transposeCsr(m: CsrMatrix, make: ArrayMaker = largeArray, blockBits = blockBitsFor(m.indices.length)): CsrMatrix {
  const job = planTranspose(m, { make, scratch: largeArray, blockBits, parts: 1 });
  transposePart(job, 0);
  return job.output;
}

/**
 * A transpose cut into parts by output column ranges, each about the same number of entries.
 * The parts write disjoint places (each its own output range), so they can run at once on worker
 * threads when every array is in shared memory.
 */
export interface TransposeJob {
  readonly input: CsrMatrix;
  /** indptr complete; indices and values are filled by the parts. */
  readonly output: CsrMatrix;
  /** Scratch: an entry's place within its block, by output slot. */
  readonly offset: Int32Array;
  readonly blockBits: number;
  /** Part j covers output rows (input columns) [cuts[j], cuts[j + 1]). */
  readonly cuts: Int32Array;
}

export interface TransposePlanOptions {
  /** Makes the output arrays. */
  make?: ArrayMaker;
  /** Makes the scratch array (a shared one when parts run on other threads). */
  scratch?: ArrayMaker;
  blockBits?: number;
  parts?: number;
  /**
   * The entries already counted by column, in pieces (countColumns over ranges that cover the
   * entries once): their sum gives the row pointers, so the count can run on several threads.
   */
  columnCounts?: readonly Int32Array[];
}

/**
 * Entries [begin, end) of `indices` counted by column into counts[c + 1] (counts has cols + 1
 * places): one piece of a transpose's row pointers.
 */
export function countColumns(indices: Int32Array, cols: number, counts: Int32Array, begin: number, end: number): Int32Array {
  if (counts.length !== cols + 1) throw new RangeError(`countColumns: counts must have cols + 1 = ${cols + 1} places, got ${counts.length}`);
  checkRange('countColumns', begin, end, indices.length);
  for (let p = begin; p < end; p++) counts[indices[p] + 1]++;
  return counts;
}

/** Checks the input, counts (or sums the counted) output row pointers and cuts the work into parts. */
export function planTranspose(m: CsrMatrix, o: TransposePlanOptions = {}): TransposeJob {
  const { rows, cols, indptr: inPtr, indices: inIdx } = m;
  const nnz = inIdx.length;
  const blockBits = o.blockBits ?? blockBitsFor(nnz);
  const parts = o.parts ?? 1;
  const make = o.make ?? largeArray;
  const scratch = o.scratch ?? largeArray;
  if (inPtr.length !== rows + 1 || inPtr[0] !== 0 || inPtr[rows] !== nnz) {
    throw new RangeError(`transposeCsr: indptr must have ${rows + 1} entries from 0 to ${nnz}, got ${inPtr.length} from ${inPtr[0]} to ${inPtr[inPtr.length - 1]}`);
  }
  if (!(Number.isInteger(blockBits) && blockBits >= 1 && blockBits <= 30)) throw new RangeError(`transposeCsr: blockBits must be an integer in [1, 30], got ${blockBits}`);
  if (!(Number.isInteger(parts) && parts >= 1)) throw new RangeError(`transposeCsr: parts must be a positive integer, got ${parts}`);
  const indptr = make(Int32Array, cols + 1);
  if (o.columnCounts) {
    for (const counts of o.columnCounts) {
      if (counts.length !== cols + 1) throw new RangeError(`transposeCsr: column counts must have cols + 1 = ${cols + 1} places, got ${counts.length}`);
      for (let c = 1; c <= cols; c++) indptr[c] += counts[c];
    }
  } else countColumns(inIdx, cols, indptr, 0, nnz);
  for (let c = 0; c < cols; c++) indptr[c + 1] += indptr[c];
  // An index outside [0, cols) is counted at place 0 or past the end, where no sum reaches it.
  if (indptr[0] !== 0 || indptr[cols] !== nnz) throw new RangeError(`transposeCsr: ${nnz - indptr[cols] + indptr[0]} of ${nnz} entries have a column index outside [0, ${cols})`);
  const cuts = new Int32Array(parts + 1);
  cuts[parts] = cols;
  for (let j = 1; j < parts; j++) cuts[j] = Math.max(cuts[j - 1], lowerBound(indptr, Math.ceil((j * nnz) / parts), 0, cols));
  const output: CsrMatrix = { rows: cols, cols: rows, indptr, indices: make(Int32Array, nnz), values: m.values.map(() => make(Float32Array, nnz)) };
  return { input: m, output, offset: scratch(Int32Array, nnz), blockBits, cuts };
}

/** Places, fills and orders the output rows of one part. */
export function transposePart(job: TransposeJob, part: number): void {
  const c0 = job.cuts[part];
  const c1 = job.cuts[part + 1];
  if (c1 <= c0) return;
  placeInBlocks(job, c0, c1);
  const { output } = job;
  const begin = output.indptr[c0];
  const end = output.indptr[c1];
  for (const a of [output.indices, ...output.values]) orderBlocks(a, job.offset, job.blockBits, begin, end);
}

/**
 * Entry p's place is dst = next[col]++ (rows in order within a column). It is written at the next
 * free slot of the block dst falls in, with its row, its values and dst's offset within the block.
 * A part's blocks are its own output range cut from its start, so they fill exactly. (Writing the
 * values here rather than in a pass of their own through a slot map was 10–20% faster and saves
 * 4 bytes an entry.)
 */
function placeInBlocks(job: TransposeJob, c0: number, c1: number): void {
  const { input, output, offset, blockBits } = job;
  const { rows, indptr: inPtr, indices: inIdx } = input;
  const { indptr, indices } = output;
  const begin = indptr[c0];
  const block = 2 ** blockBits;
  const mask = block - 1;
  const span = c1 - c0;
  const next = indptr.slice(c0, c1);
  for (let c = 0; c < span; c++) next[c] -= begin;
  const free = new Int32Array(Math.ceil((indptr[c1] - begin) / block));
  for (let b = 0; b < free.length; b++) free[b] = begin + b * block;
  const from = input.values;
  const into = output.values;
  const channels = from.length;
  for (let r = 0; r < rows; r++) {
    for (let p = inPtr[r]; p < inPtr[r + 1]; p++) {
      const c = inIdx[p] - c0;
      if (c >>> 0 >= span) continue; // another part's column (c < 0 wraps high)
      const dst = next[c]++;
      const t = free[dst >>> blockBits]++;
      offset[t] = dst & mask;
      indices[t] = r;
      for (let v = 0; v < channels; v++) into[v][t] = from[v][p];
    }
  }
}

/** Moves each entry of every block of [begin, end) to its offset within the block. */
function orderBlocks<T extends Int32Array | Float32Array>(a: T, offset: Int32Array, blockBits: number, begin: number, end: number): void {
  const block = 2 ** blockBits;
  const aside = new (a.constructor as new (length: number) => T)(Math.min(block, end - begin));
  for (let start = begin; start < end; start += block) {
    const stop = Math.min(end, start + block);
    aside.set(a.subarray(start, stop));
    for (let t = start; t < stop; t++) a[start + offset[t]] = aside[t - start];
  }
}
