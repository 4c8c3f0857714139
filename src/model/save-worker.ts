/**
 * Pool thread that encodes and hashes one Parquet file of a model directory off the caller's
 * thread. The bytes go back in shared memory (one copy here, none on the way back); the caller
 * writes them.
 */
import { encodeModelFile, type CoreFile, type EncodedFile, type ModelArrays } from './format.js';
import { sharedArray } from '../util/shared-memory.js';

export default async function run(task: { name: CoreFile; arrays: ModelArrays }): Promise<EncodedFile> {
  const { pieces, sha256 } = await encodeModelFile(task.name, task.arrays);
  const bytes = sharedArray(Uint8Array, pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    bytes.set(p, at);
    at += p.length;
  }
  return { pieces: [bytes], sha256 };
}
