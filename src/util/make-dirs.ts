/**
 * `mkdir -p` that always ends. Node's recursive mkdir spins forever when a parent exists but
 * cannot hold the child (a path under /proc, a dangling symlink): it reads the child's ENOENT as a
 * missing parent, "creates" the parent (EEXIST), and tries the child again. Here the missing
 * directories are found first, then made one by one, and the first failure is the answer.
 */
import { mkdirSync, promises as fs, statSync, type Stats } from 'node:fs';
import path from 'node:path';

function notADirectory(p: string): Error {
  return Object.assign(new Error(`ENOTDIR: '${p}' exists but is not a directory (or is a link to nowhere)`), { code: 'ENOTDIR', path: p });
}

function absent(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The directories of `dir` that do not exist yet, outermost first; throws when an existing one is not a directory. */
function missingDirs(dir: string, stat: (p: string) => Stats | null): string[] {
  const missing: string[] = [];
  for (let p = path.resolve(dir); ; ) {
    const st = stat(p);
    if (st) {
      if (!st.isDirectory()) throw notADirectory(p);
      break;
    }
    missing.push(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  return missing.reverse();
}

export async function makeDirs(dir: string): Promise<void> {
  const stats = new Map<string, Stats | null>();
  // Gathered first (async), then walked: the walk itself needs no await per step.
  for (let p = path.resolve(dir); ; ) {
    const st = await fs.stat(p).catch((err: unknown) => {
      if (absent(err)) return null;
      throw err;
    });
    stats.set(p, st);
    const parent = path.dirname(p);
    if (st || parent === p) break;
    p = parent;
  }
  for (const p of missingDirs(dir, (q) => stats.get(q) ?? null)) {
    await fs.mkdir(p).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
      // Made meanwhile by another writer, or a link to nowhere (stat said absent, mkdir says taken).
      const st = await fs.stat(p).catch(() => null);
      if (!st?.isDirectory()) throw notADirectory(p);
    });
  }
}

export function makeDirsSync(dir: string): void {
  const stat = (p: string): Stats | null => {
    try {
      return statSync(p);
    } catch (err) {
      if (absent(err)) return null;
      throw err;
    }
  };
  for (const p of missingDirs(dir, stat)) {
    try {
      mkdirSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!stat(p)?.isDirectory()) throw notADirectory(p);
    }
  }
}
