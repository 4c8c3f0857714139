/**
 * Pool thread that loads a model directory (read, verify, decode) off the caller's thread; the
 * arrays come back in shared memory, so nothing large is copied on the way back.
 */
import { readModelFiles, type ModelFiles } from './format.js';

export default function run(task: { dir: string }): Promise<ModelFiles> {
  return readModelFiles(task.dir);
}
