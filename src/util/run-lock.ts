/**
 * A lock held for as long as a run writes an output through a work directory of its own
 * (`mixtape weekly`): a second run on the same output, started by a scheduler that overlapped
 * two weeks or by hand, appended its shards to the first one's part files, and the finished file
 * lost rows while both said they wrote them all. The lock is a file `.<name>.lock` beside the
 * output, made complete (written, then linked into place) so it is never read half-written. It
 * names its holder's host and process: a lock of a process of this host that no longer exists
 * (killed outright) is taken over. Whether a process of another host (a scheduler's other node on
 * shared storage) still runs cannot be asked, so the holder renews the lock's time every
 * minute (a lease): one of another host not renewed for `LEASE_MS` is taken over, and a holder
 * whose lock was taken checks that before it commits (`assertHeld`). Any other lock is refused
 * with what to do.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWriteError, tempSibling } from './atomic.js';
import { makeDirs } from './make-dirs.js';
import { alive } from './stale-siblings.js';

/**
 * A lock of another host not renewed for this long is taken over: long enough for a holder's event
 * loop to stall (a 100 M-event read) and for clocks of hosts to differ, short enough that a weekly
 * schedule does not miss its slot waiting for a host that died.
 */
export const LEASE_MS = 15 * 60_000;
/** How often a holder renews its lock (a fifteenth of the lease, a minute by default). */
const RENEWALS_PER_LEASE = 15;

export interface RunLockOptions {
  /** The lease of a lock of another host, ms (default LEASE_MS); a holder renews it 15 times in one. */
  leaseMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  /** Tells two holds of one process apart (the module can run two jobs at once). */
  token: string;
}

/** `.<name>.lock` beside `target`. */
export function lockFileFor(target: string): string {
  const abs = path.resolve(target);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.lock`);
}

/** Locks this process holds, for an interrupted run to give up as it ends. */
const held = new Set<RunLock>();

/**
 * Gives up every lock this process holds, at once (Ctrl-C: the process ends by the signal). A
 * lock left behind would be taken over by the next run anyway; removed, it is no puzzle to a reader.
 */
export function releaseHeldLocksSync(): void {
  for (const lock of held) lock.releaseSync();
  held.clear();
}

/** A run's lock was taken by another run (or removed) while it ran: it must not commit. */
export class LockLostError extends Error {}

export class RunLock {
  private renewal?: NodeJS.Timeout;
  private taken = false;

  private constructor(
    readonly file: string,
    private readonly holder: Holder,
    private readonly target: string,
    private readonly what: string,
  ) {}

  /** Takes the lock of `target` for `what` (e.g. "weekly run"), or throws naming who holds it. */
  static async acquire(target: string, what: string, options: RunLockOptions = {}): Promise<RunLock> {
    const leaseMs = options.leaseMs ?? LEASE_MS;
    const file = lockFileFor(target);
    const holder: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    // The output's directory, made here as its writer would make it (the lock comes first).
    await makeDirs(path.dirname(file)).catch((err: unknown) => {
      throw describeWriteError(target, err);
    });
    const tmp = tempSibling(file);
    await fs.writeFile(tmp, JSON.stringify(holder) + '\n', { flag: 'wx' }).catch((err: unknown) => {
      throw describeWriteError(target, err);
    });
    try {
      let other: Holder | null | undefined;
      // A dead holder's lock is removed once; a lock that vanishes under the read is tried again.
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await createExclusive(tmp, file)) {
          const lock = new RunLock(file, holder, target, what);
          held.add(lock);
          lock.renewal = setInterval(() => void lock.renew(), leaseMs / RENEWALS_PER_LEASE);
          lock.renewal.unref(); // never what keeps a process alive
          return lock;
        }
        const found = await readLock(file);
        if (found === undefined) continue; // released meanwhile
        other = found.holder;
        if (attempt > 0 || !isStale(found, leaseMs)) break;
        // Removed only while it still names the dead holder: two runs finding it at once would
        // otherwise each remove it, the second the first's new lock (a window of a read and an
        // unlink remains; a scheduler does not start two runs in it).
        if ((await readHolder(file))?.token === other?.token) await fs.rm(file, { force: true });
      }
      throw heldError(target, what, file, other ?? null);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  /**
   * Throws as acquire would if another run holds `target` now, without taking it: for a command
   * to fail before it spends minutes reading its input (the run itself takes the lock later).
   */
  static async check(target: string, what: string, options: RunLockOptions = {}): Promise<void> {
    const file = lockFileFor(target);
    const found = await readLock(file);
    if (found === undefined || isStale(found, options.leaseMs ?? LEASE_MS)) return;
    throw heldError(target, what, file, found.holder);
  }

  /** Whether a renewal (or `assertHeld`) found the lock no longer this hold's: the run checks it as it writes. */
  get lost(): boolean {
    return this.taken;
  }

  /**
   * Throws if this hold's lock is no longer its own (taken over as stale, or removed by hand and
   * taken by another run): for a run to check before it commits its output, which the other run
   * may be writing too.
   */
  async assertHeld(): Promise<void> {
    const current = await readHolder(this.file);
    if (current?.token === this.holder.token) return;
    this.taken = true;
    throw new LockLostError(
      `${this.target}: this ${this.what} lost its lock (${current === undefined ? 'the lock file was removed' : `now held by ${describe(current)}`}), so it stops without committing; run it again once no other run writes ${this.target}`,
    );
  }

  /** Gives the lock up, unless it is no longer this hold's (removed by hand and taken by another run). */
  async release(): Promise<void> {
    held.delete(this);
    clearInterval(this.renewal);
    const current = await readHolder(this.file);
    if (current?.token === this.holder.token) await fs.rm(this.file, { force: true });
  }

  /** Renews the lease while the lock is this hold's; stops renewing once it is not. */
  private async renew(): Promise<void> {
    try {
      const current = await readHolder(this.file);
      if (current === null) return; // unreadable for now: tried again at the next renewal
      if (current?.token !== this.holder.token) {
        this.taken = true;
        clearInterval(this.renewal);
        return;
      }
      const now = new Date();
      await fs.utimes(this.file, now, now);
    } catch {
      // The next renewal tries again; a lock that cannot be renewed for a lease may be taken.
    }
  }

  releaseSync(): void {
    clearInterval(this.renewal);
    try {
      if (parseHolder(readFileSync(this.file, 'utf8'))?.token === this.holder.token) rmSync(this.file, { force: true });
    } catch {
      // Gone already, or unreadable: not this hold's to remove.
    }
  }
}

/**
 * Runs `body` holding the lock of `target`, and fails it if the lock was taken while it ran (what
 * it wrote may then hold another run's writes): for a run whose output is written as it goes.
 */
export async function withRunLock<T>(target: string, what: string, body: () => Promise<T>, options: RunLockOptions = {}): Promise<T> {
  const lock = await RunLock.acquire(target, what, options);
  try {
    const result = await body();
    await lock.assertHeld();
    return result;
  } finally {
    await lock.release();
  }
}

/**
 * Puts the complete lock file `tmp` in place as `file` unless one exists (false then). A hard
 * link does that in one step; on a file system without links (FAT, some network mounts) the
 * file is created exclusively and filled, so a reader may briefly find it empty.
 */
async function createExclusive(tmp: string, file: string): Promise<boolean> {
  try {
    await fs.link(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
  }
  try {
    await fs.writeFile(file, await fs.readFile(tmp), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** A lock file's holder and when it was last renewed; undefined when there is none. */
async function readLock(file: string): Promise<{ holder: Holder | null; renewedMs: number } | undefined> {
  let renewedMs: number;
  try {
    renewedMs = (await fs.stat(file)).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { holder: null, renewedMs: Date.now() };
  }
  const holder = await readHolder(file);
  return holder === undefined ? undefined : { holder, renewedMs };
}

/** The holder named in a lock file; undefined when there is none, null when it cannot be read. */
async function readHolder(file: string): Promise<Holder | null | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return null;
  }
  return parseHolder(text);
}

function parseHolder(text: string): Holder | null {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.since === 'string' && typeof h.token === 'string' ? (h as Holder) : null;
  } catch {
    return null;
  }
}

/**
 * A lock of a process of this host that no longer exists, or of another host not renewed for a
 * lease. A file that is not a lock mixtape wrote is never stale: it is someone else's.
 */
function isStale(found: { holder: Holder | null; renewedMs: number }, leaseMs: number): boolean {
  const h = found.holder;
  if (h === null) return false;
  if (h.host === os.hostname()) return !alive(h.pid);
  return Date.now() - found.renewedMs > leaseMs;
}

function heldError(target: string, what: string, file: string, other: Holder | null): Error {
  const lease = other !== null && other.host !== os.hostname() ? ' (a lock of another host is taken over once it goes a lease unrenewed)' : '';
  return new Error(`${target}: another ${what} is writing it (${describe(other)}); wait for it to end, or remove ${file} if that run is gone${lease}`);
}

function describe(h: Holder | null): string {
  if (h === null) return 'its lock file is not one mixtape wrote';
  return `process ${h.pid}${h.host === os.hostname() ? '' : ` on ${h.host}`}, since ${h.since}`;
}
