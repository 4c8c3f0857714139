/** Crafted input files for ingest tests, written to a per-test-file temporary folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class TempFiles {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-data-'));

  /** Writes `content` (text or bytes) as `name` and returns its path. */
  write(name: string, content: string | Uint8Array): string {
    const file = path.join(this.dir, name);
    writeFileSync(file, content);
    return file;
  }

  path(name: string): string {
    return path.join(this.dir, name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Lines joined with LF and ending with one. */
export function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}
