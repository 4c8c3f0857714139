/**
 * Where a worker-thread module lives. Built code runs dist/…/*.js. Under tsx or vitest the
 * caller is a .ts source: then we use the compiled twin in dist/ when it exists (the build runs
 * on install and before tests), because a tsx loader registered inside a fresh worker thread can
 * lose a race with the worker's first import on Node 20; the .ts file with tsx is the last resort.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from './version.js';

export interface WorkerFile {
  filename: string;
  execArgv: string[];
}

export function workerFile(callerUrl: string, name: string): WorkerFile {
  if (!callerUrl.endsWith('.ts')) return { filename: new URL(`./${name}.js`, callerUrl).href, execArgv: [] };
  const sourceDir = path.dirname(fileURLToPath(callerUrl));
  const root = packageRoot();
  const compiled = path.join(root, 'dist', path.relative(root, sourceDir), `${name}.js`);
  if (existsSync(compiled)) return { filename: pathToFileURL(compiled).href, execArgv: [] };
  return { filename: new URL(`./${name}.ts`, callerUrl).href, execArgv: ['--import', 'tsx'] };
}
