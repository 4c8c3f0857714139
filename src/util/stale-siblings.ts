/**
 * Leftovers of runs killed outright (SIGKILL, the OOM killer), which no handler could clean:
 * temporary siblings `.<name>.tmp-<pid>-<hex>` of processes no longer alive are removed the next
 * time something is written to <name>, and a previous version moved aside (`.<name>.old-…`) while
 * a directory was swapped is put back when the swap never completed. Siblings of live processes
 * are left alone: they may be another run's work in progress.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';

const SIBLING = /^(tmp|old)-(\d+)-[0-9a-f]{8}$/;

/** Whether process `pid` exists on this host. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Clear the leftovers of dead runs beside `target`; returns how many were removed or restored. */
export async function clearStaleSiblings(target: string): Promise<number> {
  const dir = path.dirname(path.resolve(target));
  const prefix = `.${path.basename(target)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let cleared = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = SIBLING.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    const leftover = path.join(dir, name);
    try {
      if (m[1] === 'old' && !existsSync(target)) await fs.rename(leftover, target);
      else await fs.rm(leftover, { recursive: true, force: true });
      cleared++;
    } catch {
      // Someone else got there first, or it cannot be touched: not this write's problem.
    }
  }
  return cleared;
}
