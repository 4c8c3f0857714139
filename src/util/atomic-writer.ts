/**
 * A buffered text writer that lands its file atomically: rows go to a temporary sibling, and only
 * `commit()` renames it over the target. `abort()` (or a crash) leaves the target untouched. A
 * target named `*.gz` is written gzip-compressed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempSibling } from './atomic.js';
import { clearStaleSiblings } from './stale-siblings.js';
import { errorMessage } from './error-message.js';
import { makeDirs } from './make-dirs.js';
import { gzipMember, isGzipName } from './gzip-output.js';

export class AtomicTextWriter {
  private chunks: string[] = [];
  private size = 0;
  private handle?: fs.FileHandle;
  private readonly tmp: string;
  private readonly gzip: boolean;

  private constructor(readonly target: string) {
    this.tmp = tempSibling(target);
    this.gzip = isGzipName(target);
  }

  static async open(target: string): Promise<AtomicTextWriter> {
    const w = new AtomicTextWriter(target);
    try {
      // Like every other output of the CLI, missing parent directories are created.
      await makeDirs(path.dirname(target));
      await clearStaleSiblings(target);
      w.handle = await fs.open(w.tmp, 'wx');
    } catch (err) {
      throw new Error(`cannot write ${target}: ${errorMessage(err)}`, { cause: err });
    }
    return w;
  }

  /** Queue text; flushes to disk in ~1 MiB writes. */
  async write(text: string): Promise<void> {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    try {
      if (this.gzip) await this.handle!.write(await gzipMember(data));
      else await this.handle!.write(data);
    } catch (err) {
      await this.abort();
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`cannot write ${this.target}: ${code === 'ENOSPC' ? 'no space left on device' : errorMessage(err)}`, { cause: err });
    }
  }

  async commit(): Promise<void> {
    await this.flush();
    await this.handle!.sync();
    await this.handle!.close();
    this.handle = undefined;
    await fs.rename(this.tmp, this.target);
  }

  async abort(): Promise<void> {
    if (this.handle) await this.handle.close().catch(() => undefined);
    this.handle = undefined;
    await fs.rm(this.tmp, { force: true });
  }
}
