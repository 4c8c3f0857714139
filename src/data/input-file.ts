/**
 * The first check of every reader: the input is an existing regular file. Node's own errors are
 * unhelpful here (a directory opens fine and fails later with an EISDIR that names no file; a
 * file Blob said only "Unable to open file as blob"), so the reason is stated with the file name.
 */
import { stat } from 'node:fs/promises';
import { IngestError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a parent path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
};

export async function checkInputFile(file: string): Promise<void> {
  let why: string | undefined;
  try {
    const st = await stat(file);
    if (st.isDirectory()) why = 'is a directory';
    else if (!st.isFile() && !st.isFIFO() && !st.isCharacterDevice()) why = 'not a regular file';
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    why = REASONS[e.code ?? ''] ?? e.message;
  }
  if (why) throw new IngestError(`${file}: cannot open: ${why}`, file);
}
