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
import { largeArray } from '../util/large-array.js';
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
  const { rows, cols, indptr: inPtr, indices: inIdx } = m;
  const nnz = inIdx.length;
  if (inPtr.length !== rows + 1 || inPtr[0] !== 0 || inPtr[rows] !== nnz) {
    throw new RangeError(`transposeCsr: indptr must have ${rows + 1} entries from 0 to ${nnz}, got ${inPtr.length} from ${inPtr[0]} to ${inPtr[inPtr.length - 1]}`);
  }
  if (!(Number.isInteger(blockBits) && blockBits >= 1 && blockBits <= 30)) throw new RangeError(`transposeCsr: blockBits must be an integer in [1, 30], got ${blockBits}`);
  const indptr = make(Int32Array, cols + 1);
  for (let p = 0; p < nnz; p++) indptr[inIdx[p] + 1]++;
  for (let c = 0; c < cols; c++) indptr[c + 1] += indptr[c];
  const indices = make(Int32Array, nnz);
  const offset = largeArray(Int32Array, nnz);
  const to = placeInBlocks(m, indptr, blockBits, indices, offset);
  const values = m.values.map((src) => {
    const out = make(Float32Array, nnz);
    for (let p = 0; p < nnz; p++) out[to[p]] = src[p];
    return out;
  });
  for (const a of [indices, ...values]) orderBlocks(a, offset, blockBits);
  return { rows: cols, cols: rows, indptr, indices, values };
}

/**
 * Entry p's place is dst = next[col]++ (rows in order within a column). It is written at the next
 * free slot to[p] of the block dst falls in, with its row in `indices` and dst's offset within the
 * block in `offset`. The blocks are the output's own ranges, so they fill exactly. The value
 * channels follow `to` afterwards, one tight loop each.
 */
function placeInBlocks(m: CsrMatrix, indptr: Int32Array, blockBits: number, indices: Int32Array, offset: Int32Array): Int32Array {
  const { rows, indptr: inPtr, indices: inIdx } = m;
  const nnz = inIdx.length;
  const block = 2 ** blockBits;
  const mask = block - 1;
  const next = indptr.slice(0, m.cols);
  const free = new Int32Array(Math.ceil(nnz / block));
  for (let b = 0; b < free.length; b++) free[b] = b * block;
  const to = largeArray(Int32Array, m.values.length > 0 ? nnz : 0);
  const keepTo = to.length > 0;
  for (let r = 0; r < rows; r++) {
    for (let p = inPtr[r]; p < inPtr[r + 1]; p++) {
      const dst = next[inIdx[p]]++;
      const t = free[dst >>> blockBits]++;
      offset[t] = dst & mask;
      indices[t] = r;
      if (keepTo) to[p] = t;
    }
  }
  return to;
}

/** Moves each entry of every block to its offset within the block. */
function orderBlocks<T extends Int32Array | Float32Array>(a: T, offset: Int32Array, blockBits: number): void {
  const block = 2 ** blockBits;
  const aside = new (a.constructor as new (length: number) => T)(Math.min(block, a.length));
  for (let start = 0; start < a.length; start += block) {
    const end = Math.min(a.length, start + block);
    aside.set(a.subarray(start, end));
    for (let t = start; t < end; t++) a[start + offset[t]] = aside[t - start];
  }
}
