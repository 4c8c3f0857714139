// npm install hook: build the native addon, then compile the TypeScript so that the `mixtape`
// binary (dist/src/cli/main.js) runs straight after install. A published tarball ships dist/
// already, so the TypeScript step is skipped when the compiler is not installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const step = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status === 0;

if (!step([path.join(root, 'scripts/build-native.mjs')])) process.exit(1);
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
if (existsSync(tsc) && existsSync(path.join(root, 'src'))) {
  if (!step([tsc, '-p', 'tsconfig.build.json'])) process.exit(1);
} else if (!existsSync(path.join(root, 'dist/src/cli/main.js'))) {
  console.error('mixtape: TypeScript compiler not found and no prebuilt dist/; run `npm install` in the source tree');
  process.exit(1);
}
