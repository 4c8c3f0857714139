/**
 * Where a worker-thread module lives. Built code runs dist/…/*.js. Under tsx or vitest the
 * caller is a .ts source: then we use the compiled twin in dist/ when it exists (the build runs
 * on install and before tests), because a tsx loader registered inside a fresh worker thread can
 * lose a race with the worker's first import on Node 20; the .ts file with tsx is the last resort.
 *
 * Piscina loads the CommonJS entry (worker-entry.cjs), which imports the worker module named in
 * the thread's environment; see worker-entry.cts for why.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from './version.js';

/** The environment variable that tells the entry which module to import. */
export const WORKER_MODULE_ENV = 'MIXTAPE_WORKER_MODULE';

export interface WorkerFile {
  /** The CommonJS entry Piscina loads. */
  filename: string;
  /** URL of the worker module the entry imports. */
  module: string;
  execArgv: string[];
}

export function workerFile(callerUrl: string, name: string): WorkerFile {
  const worker = moduleBeside(callerUrl, name, '.js', '.ts');
  const entry = moduleBeside(import.meta.url, 'worker-entry', '.cjs', '.cts');
  const execArgv = worker.needsTsx || entry.needsTsx ? ['--import', 'tsx'] : [];
  return { filename: entry.url, module: worker.url, execArgv };
}

/** The module `name` beside `callerUrl`: built (`builtExt`), its dist twin, or the source with tsx. */
function moduleBeside(callerUrl: string, name: string, builtExt: string, sourceExt: string): { url: string; needsTsx: boolean } {
  if (!callerUrl.endsWith('.ts')) return { url: new URL(`./${name}${builtExt}`, callerUrl).href, needsTsx: false };
  const sourceDir = path.dirname(fileURLToPath(callerUrl));
  const root = packageRoot();
  const compiled = path.join(root, 'dist', path.relative(root, sourceDir), `${name}${builtExt}`);
  if (existsSync(compiled)) return { url: pathToFileURL(compiled).href, needsTsx: false };
  return { url: new URL(`./${name}${sourceExt}`, callerUrl).href, needsTsx: true };
}
