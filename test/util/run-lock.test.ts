/**
 * The run lock: one holder at a time (across processes and within one), a dead holder's lock of
 * this host taken over, a lock of another host taken over once its lease lapses, any other
 * refused naming its holder, a holder that renews its lease and knows when its lock was taken,
 * and a release that never removes another run's lock.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fsPromises, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LEASE_MS, LockLostError, lockFileFor, releaseHeldLocksSync, RunLock, withRunLock } from '../../src/util/run-lock.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-run-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const holder = (o: Partial<{ pid: number; host: string; since: string; token: string }>) =>
  JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2026-11-30T00:00:00.000Z', token: 'feedfacefeedface', ...o });

describe('RunLock', () => {
  it('lets one run hold an output at a time and names the holder to the next', async () => {
    const target = path.join(dir, 'week.csv');
    const lock = await RunLock.acquire(target, 'weekly run');
    expect(lock.file).toBe(path.join(dir, '.week.csv.lock'));
    const written = JSON.parse(readFileSync(lock.file, 'utf8'));
    expect(written).toMatchObject({ pid: process.pid, host: os.hostname() });
    await expect(RunLock.acquire(target, 'weekly run')).rejects.toThrow(
      `${target}: another weekly run is writing it (process ${process.pid}, since ${written.since}); wait for it to end, or remove ${lock.file} if that run is gone`,
    );
    await lock.release();
    expect(existsSync(lock.file)).toBe(false);
    await (await RunLock.acquire(target, 'weekly run')).release();
    // No temporary file is left beside it.
    expect(readdirSync(dir).filter((f) => f.startsWith('.week.csv'))).toEqual([]);
  });

  it('gives it to exactly one of many runs asking at once', async () => {
    const target = path.join(dir, 'race.csv');
    const tries = await Promise.allSettled(Array.from({ length: 12 }, () => RunLock.acquire(target, 'weekly run')));
    const won = tries.filter((t): t is PromiseFulfilledResult<RunLock> => t.status === 'fulfilled');
    expect(won.length).toBe(1);
    for (const t of tries) if (t.status === 'rejected') expect(String(t.reason)).toMatch(/another weekly run is writing it/);
    await won[0].value.release();
  });

  it("takes over the lock of a process of this host that is gone", async () => {
    const target = path.join(dir, 'stale.csv');
    writeFileSync(lockFileFor(target), holder({ pid: deadPid() }));
    const lock = await RunLock.acquire(target, 'weekly run');
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('refuses a lock of another host, or one it cannot read, leaving it as it was', async () => {
    const target = path.join(dir, 'other.csv');
    const file = lockFileFor(target);
    for (const [text, why] of [
      [holder({ pid: deadPid(), host: 'batch-07' }), `process \\d+ on batch-07, since 2026-11-30T00:00:00.000Z`],
      ['{"pid":', 'its lock file is not one mixtape wrote'],
    ] as const) {
      writeFileSync(file, text);
      await expect(RunLock.acquire(target, 'weekly run')).rejects.toThrow(new RegExp(`another weekly run is writing it \\(${why}\\)`));
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
    rmSync(file);
  });

  it('takes over the lock of another host once it goes a lease unrenewed, not before', async () => {
    const target = path.join(dir, 'lease.csv');
    const file = lockFileFor(target);
    const text = holder({ host: 'batch-07' });
    writeFileSync(file, text);
    const ago = (ms: number) => new Date(Date.now() - ms);
    utimesSync(file, ago(LEASE_MS - 60_000), ago(LEASE_MS - 60_000));
    await expect(RunLock.acquire(target, 'weekly run')).rejects.toThrow(/on batch-07, since .*if that run is gone \(a lock of another host is taken over once it goes a lease unrenewed\)$/);
    await expect(RunLock.check(target, 'weekly run')).rejects.toThrow(/on batch-07/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    // A shorter lease (an option) already counts it stale; so does the default a minute later.
    await RunLock.check(target, 'weekly run', { leaseMs: LEASE_MS - 120_000 });
    utimesSync(file, ago(LEASE_MS + 60_000), ago(LEASE_MS + 60_000));
    await RunLock.check(target, 'weekly run');
    const lock = await RunLock.acquire(target, 'weekly run');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await lock.release();
    // A file that is not a lock mixtape wrote stays refused however old.
    writeFileSync(file, '{"pid":');
    utimesSync(file, ago(10 * LEASE_MS), ago(10 * LEASE_MS));
    await expect(RunLock.acquire(target, 'weekly run')).rejects.toThrow(/its lock file is not one mixtape wrote/);
    rmSync(file);
  });

  it('renews its lease while it holds the lock, and knows when the lock was taken or removed', async () => {
    const target = path.join(dir, 'renewed.csv');
    const lock = await RunLock.acquire(target, 'weekly run', { leaseMs: 300 }); // renewed every 20 ms
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(lock.file, past, past);
    await vi.waitFor(() => expect(statSync(lock.file).mtimeMs).toBeGreaterThan(Date.now() - 60_000), { timeout: 10_000, interval: 20 });
    expect(lock.lost).toBe(false);
    await lock.assertHeld();
    // Taken by a run of another host that found the lease lapsed.
    const other = holder({ pid: 4242, host: 'batch-07' });
    writeFileSync(lock.file, other);
    await vi.waitFor(() => expect(lock.lost).toBe(true), { timeout: 10_000, interval: 20 });
    const lost = lock.assertHeld();
    await expect(lost).rejects.toThrow(LockLostError);
    await expect(lost).rejects.toThrow(`${target}: this weekly run lost its lock (now held by process 4242 on batch-07, since 2026-11-30T00:00:00.000Z), so it stops without committing; run it again once no other run writes ${target}`);
    // Renewals stopped: the other run's lock keeps its own time.
    utimesSync(lock.file, past, past);
    await new Promise((r) => setTimeout(r, 100));
    expect(statSync(lock.file).mtimeMs).toBeLessThan(Date.now() - 3_000_000);
    await lock.release();
    expect(readFileSync(lock.file, 'utf8')).toBe(other);
    rmSync(lock.file);
    const removed = await RunLock.acquire(target, 'weekly run');
    rmSync(removed.file);
    await expect(removed.assertHeld()).rejects.toThrow(/lost its lock \(the lock file was removed\)/);
    await removed.release();
  });

  it('runs a body holding the lock, and fails it when the lock was taken meanwhile', async () => {
    const target = path.join(dir, 'trials.jsonl');
    expect(await withRunLock(target, 'tune run', async () => readFileSync(lockFileFor(target), 'utf8').includes(String(process.pid)))).toBe(true);
    expect(existsSync(lockFileFor(target))).toBe(false);
    const other = holder({ pid: 4242, host: 'batch-07' });
    const taken = withRunLock(target, 'tune run', async () => {
      writeFileSync(lockFileFor(target), other);
      return 'done';
    });
    await expect(taken).rejects.toThrow(/trials\.jsonl: this tune run lost its lock \(now held by process 4242 on batch-07/);
    expect(readFileSync(lockFileFor(target), 'utf8')).toBe(other);
    // A body that fails gives the lock up with its own error.
    rmSync(lockFileFor(target));
    await expect(withRunLock(target, 'tune run', async () => Promise.reject(new Error('out of budget')))).rejects.toThrow('out of budget');
    expect(existsSync(lockFileFor(target))).toBe(false);
  });

  it('checks for a holder without taking the lock', async () => {
    const target = path.join(dir, 'checked.csv');
    await RunLock.check(target, 'weekly run');
    expect(existsSync(lockFileFor(target))).toBe(false);
    const lock = await RunLock.acquire(target, 'weekly run');
    await expect(RunLock.check(target, 'weekly run')).rejects.toThrow(/another weekly run is writing it \(process \d+, since /);
    await lock.release();
    writeFileSync(lockFileFor(target), holder({ pid: deadPid() }));
    await RunLock.check(target, 'weekly run');
    writeFileSync(lockFileFor(target), holder({ host: 'batch-07' }));
    await expect(RunLock.check(target, 'weekly run')).rejects.toThrow(/on batch-07/);
    rmSync(lockFileFor(target));
  });

  it('works where the file system has no hard links', async () => {
    const link = vi.spyOn(fsPromises, 'link').mockRejectedValue(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    try {
      const target = path.join(dir, 'fat.csv');
      const lock = await RunLock.acquire(target, 'weekly run');
      expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
      await expect(RunLock.acquire(target, 'weekly run')).rejects.toThrow(/another weekly run is writing it/);
      await lock.release();
      expect(existsSync(lock.file)).toBe(false);
      expect(link).toHaveBeenCalled();
    } finally {
      link.mockRestore();
    }
  });

  it("does not remove a lock that is no longer its own", async () => {
    const target = path.join(dir, 'handed.csv');
    const first = await RunLock.acquire(target, 'weekly run');
    // Removed by hand (the run looked gone) and taken by another run.
    rmSync(first.file);
    const second = await RunLock.acquire(target, 'weekly run');
    await first.release();
    expect(existsSync(second.file)).toBe(true);
    releaseHeldLocksSync();
    expect(existsSync(second.file)).toBe(false);
  });
});
