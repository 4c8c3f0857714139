/**
 * Atomic file and directory writes: a failed or killed run never leaves a half-written output
 * behind. Files are written to a temporary sibling, fsynced, then renamed over the target.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export function tempSibling(target: string, tag = 'tmp'): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Let `write` produce the file at a temporary sibling path, then rename it onto `file`; on any
 * failure the temporary file is removed and `file` is untouched.
 */
export async function writeViaTemp(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempSibling(file);
  try {
    await write(tmp);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw describeWriteError(file, err);
  }
}

/** Write bytes to `file` atomically (synced before the rename). */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await writeViaTemp(file, async (tmp) => {
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
  });
}

/**
 * Build a directory atomically: `fill` writes into a fresh temporary directory beside `target`,
 * which then replaces `target` (the previous version is moved aside and removed only after the new
 * one is in place, so at every instant one complete version exists under one of the two names).
 */
export async function writeDirAtomic(target: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(path.resolve(target));
  await fs.mkdir(parent, { recursive: true }).catch((err) => {
    throw describeWriteError(target, err);
  });
  const tmp = tempSibling(target);
  try {
    await fs.mkdir(tmp);
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw describeWriteError(target, err);
  }
  const old = tempSibling(target, 'old');
  let moved = false;
  try {
    await fs.rename(target, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      await fs.rm(tmp, { recursive: true, force: true });
      throw describeWriteError(target, err);
    }
  }
  try {
    await fs.rename(tmp, target);
  } catch (err) {
    if (moved) await fs.rename(old, target).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
    throw describeWriteError(target, err);
  }
  if (moved) await fs.rm(old, { recursive: true, force: true });
}

function describeWriteError(target: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && 'code' in e) {
    const why: Record<string, string> = {
      ENOSPC: 'no space left on device',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EROFS: 'read-only file system',
      ENOTDIR: 'a parent path is not a directory',
      EDQUOT: 'disk quota exceeded',
    };
    const reason = why[e.code ?? ''];
    if (reason) return new Error(`cannot write ${target}: ${reason}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
