/**
 * Pool thread that encodes, hashes and writes one Parquet file of a model directory off the
 * caller's thread, a row group at a time.
 */
import { writeModelFile, type SaveOutcome, type SaveTask } from './format.js';
import { errorMessage } from '../util/error-message.js';

export default async function run(task: SaveTask): Promise<SaveOutcome> {
  try {
    return { written: await writeModelFile(task.name, task.arrays, task.file) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { failed: { message: errorMessage(err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) } };
  }
}
