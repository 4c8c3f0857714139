/** Writes a file by writing a temporary sibling and renaming it, so readers never see half a file. */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export function tempSibling(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Runs `write(tempPath)` then renames the temporary file onto `file`; removes it on failure. */
export async function writeAtomically(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempSibling(file);
  try {
    await write(tmp);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeBytesAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await writeAtomically(file, (tmp) => writeFile(tmp, bytes));
}
