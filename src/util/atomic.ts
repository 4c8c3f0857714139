/**
 * Atomic file and directory writes: a failed or killed run never leaves a half-written output
 * behind. Files are written to a temporary sibling, fsynced, then renamed over the target.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import { clearStaleSiblings } from './stale-siblings.js';
import { writeStreamed, type PieceSink } from './streamed-file.js';
import { makeDirs } from './make-dirs.js';

/**
 * Temporary siblings handed out by this process. Names are unique (pid + random), so one that was
 * renamed into place no longer exists under it, and removing the set removes only work in flight.
 */
const inFlight = new Set<string>();
let stopped = false;

export function tempSibling(target: string, tag = 'tmp'): string {
  if (stopped) throw new Error(`cannot write ${target}: the run was interrupted`);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
  // 'old' siblings hold the previous complete version during a directory swap: never removed here.
  if (tag === 'tmp') {
    // A long-running process (a service saving models, a job recording thousands of shards) would
    // otherwise keep every name: drop those already renamed or removed now and then.
    if (inFlight.size >= 256) for (const t of inFlight) if (!existsSync(t)) inFlight.delete(t);
    inFlight.add(tmp);
  }
  return tmp;
}

/** Atomic writes under way: an interruption lets them finish or fail before it cleans up. */
let pending = 0;

async function counted<T>(write: () => Promise<T>): Promise<T> {
  pending++;
  try {
    return await write();
  } finally {
    pending--;
  }
}

/** Whether no atomic write is under way (none can start once temporary files are stopped). */
export function tempWritesSettled(): boolean {
  return pending === 0;
}

/** From now on no temporary sibling is handed out (an interrupted run starts no new output). */
export function stopTempFiles(): void {
  stopped = true;
}

/**
 * Remove every temporary file or directory of this process still in flight (synchronously: it
 * runs from a signal handler), so an interrupted run leaves no half-written file. Returns how
 * many were there. Safe to call again: a creation already in the thread pool may land later.
 */
export function removeTempFiles(): number {
  let removed = 0;
  for (const tmp of inFlight) {
    if (!existsSync(tmp)) continue;
    try {
      rmSync(tmp, { recursive: true, force: true, maxRetries: 2 });
      removed++;
    } catch {
      // A file landing inside while removing: the next call takes it.
    }
  }
  return removed;
}

/**
 * Let `write` produce the file at a temporary sibling path, then rename it onto `file`; on any
 * failure the temporary file is removed and `file` is untouched.
 */
export async function writeViaTemp(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  return counted(() => writeViaTempNow(file, write));
}

async function writeViaTempNow(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await clearStaleSiblings(file);
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
  await writeStreamedAtomic(file, async (sink) => sink(typeof data === 'string' ? Buffer.from(data) : data));
}

/**
 * Write `file` atomically from pieces that `fill` hands the sink as an encoder makes them (synced
 * before the rename): the output is never held whole in memory.
 */
export async function writeStreamedAtomic(file: string, fill: (sink: PieceSink) => Promise<void>): Promise<void> {
  await writeViaTemp(file, async (tmp) => {
    await writeStreamed(tmp, fill, { sync: true });
  });
}

/**
 * Build a directory atomically: `fill` writes into a fresh temporary directory beside `target`,
 * which then replaces `target` (the previous version is moved aside and removed only after the new
 * one is in place, so at every instant one complete version exists under one of the two names).
 */
export async function writeDirAtomic(target: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  return counted(() => writeDirAtomicNow(target, fill));
}

async function writeDirAtomicNow(target: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(path.resolve(target));
  await makeDirs(parent).catch((err) => {
    throw describeWriteError(target, err);
  });
  await clearStaleSiblings(target);
  const tmp = tempSibling(target);
  try {
    await fs.mkdir(tmp);
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw describeWriteError(target, err);
  }
  await swapIn(target, tmp);
}

/** Whether a directory swap of `target` is between its renames (a version of it is moved aside). */
export async function swapUnderway(target: string): Promise<boolean> {
  const prefix = `.${path.basename(target)}.old-`;
  const names = await fs.readdir(path.dirname(path.resolve(target))).catch(() => [] as string[]);
  return names.some((n) => n.startsWith(prefix));
}

/** Swaps a concurrent writer may interleave with before giving up (each one's version lands whole). */
const SWAP_ATTEMPTS = 8;

/**
 * Puts the finished directory `tmp` at `target`: the version there is moved aside, `tmp` renamed
 * into its place, then the aside removed. Another writer of the same target (two saves of one
 * model) can land its version between the two renames; then this one moves that aside too and
 * tries again, so the last to finish wins and none fails with ENOTEMPTY.
 */
async function swapIn(target: string, tmp: string): Promise<void> {
  const asides: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const old = tempSibling(target, 'old');
    try {
      await fs.rename(target, old);
      asides.push(old);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        await fs.rm(tmp, { recursive: true, force: true });
        throw describeWriteError(target, err);
      }
    }
    try {
      await fs.rename(tmp, target);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < SWAP_ATTEMPTS) continue;
      // Put the newest version moved aside back, so the target is never left empty.
      if (asides.length > 0) await fs.rename(asides.pop()!, target).catch(() => undefined);
      await fs.rm(tmp, { recursive: true, force: true });
      await Promise.all(asides.map((a) => fs.rm(a, { recursive: true, force: true })));
      throw describeWriteError(target, err);
    }
  }
  await Promise.all(asides.map((a) => fs.rm(a, { recursive: true, force: true })));
}

/** A write's file-system error as `cannot write <target>: <reason>` (unknown errors pass unchanged). */
export function describeWriteError(target: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && 'code' in e) {
    const why: Record<string, string> = {
      ENOSPC: 'no space left on device',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EROFS: 'read-only file system',
      ENOTDIR: 'a parent path is not a directory',
      ENOENT: 'no such directory, and none can be made there',
      EDQUOT: 'disk quota exceeded',
    };
    const reason = why[e.code ?? ''];
    if (reason) return new Error(`cannot write ${target}: ${reason}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
