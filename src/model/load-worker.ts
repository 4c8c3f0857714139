/**
 * Pool thread that loads a model directory (read, verify, decode) off the caller's thread. The
 * arrays come back in shared memory and the id columns are moved, so nothing large is copied on
 * the way back (a plain buffer sent back would be copied on the caller's thread as it takes the
 * message in).
 */
import { Piscina } from 'piscina';
import { readModelFiles } from './format.js';

export default async function run(task: { dir: string }): Promise<unknown> {
  const files = await readModelFiles(task.dir);
  const moved = new Set<ArrayBuffer>();
  for (const a of [files.userIds.bytes, files.userIds.offsets, files.itemIds.bytes, files.itemIds.offsets]) {
    if (a.buffer instanceof ArrayBuffer) moved.add(a.buffer);
  }
  return Piscina.move({ [Piscina.transferableSymbol]: [...moved], [Piscina.valueSymbol]: files } as never);
}
