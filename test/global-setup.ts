/**
 * Compile the TypeScript once before the suite: worker threads (Piscina) run the compiled
 * modules, so they must match the sources under test.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  // Type errors still emit JavaScript; report them loudly (the install step fails on them) but let
  // the tests run, so one unfinished module does not hide every other result.
  if (r.status !== 0) process.stderr.write(`warning: TypeScript build reported errors:\n${r.stdout}${r.stderr}`);
}
