/**
 * Pool thread that loads one part of a model directory (read, verify, decode) off the caller's
 * thread. The arrays come back in shared memory and the id columns and extra files are moved, so
 * nothing large is copied on the way back (a plain buffer sent back would be copied on the
 * caller's thread as it takes the message in).
 */
import { movedResult } from '../util/move-result.js';
import { readModelPart, type LoadTask } from './format.js';

export default async function run(task: LoadTask): Promise<unknown> {
  const result = await readModelPart(task.dir, task.manifest, task.part, task.fds);
  const moved: ArrayBufferView[] = [];
  if (result.part === 'users.parquet' || result.part === 'items.parquet') {
    // The id columns' buffers are theirs alone (views of a collector's growth buffers).
    moved.push(result.ids.bytes, result.ids.offsets);
  } else if (result.part === 'extras') {
    // Only a file a buffer holds whole: a small file's bytes may share a pooled buffer.
    for (const [, a] of result.extras) if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) moved.push(a);
  }
  return movedResult(result, moved);
}
