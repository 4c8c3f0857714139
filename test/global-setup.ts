/**
 * Compile the TypeScript once before the suite: worker threads (Piscina) run the compiled
 * modules, so they must match the sources under test.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('TypeScript build failed; fix the errors above before running the tests');
}
