// Builds the native addon. cmake-js is preferred (it uses the bundled Node-API headers because
// package.json declares napi_versions, so no header download happens); when cmake is not on the
// PATH we fall back to node-gyp with binding.gyp, which builds the same sources.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

function hasCmake() {
  const r = spawnSync('cmake', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

const extra = process.argv.slice(2);
const blasOff = process.env.MIXTAPE_BLAS === 'off';
const sanitize = process.env.MIXTAPE_SANITIZE === '1';
const cmakeDefs = [];
if (blasOff) cmakeDefs.push('--CDMIXTAPE_USE_BLAS=OFF');
if (sanitize) cmakeDefs.push('--CDMIXTAPE_SANITIZE=ON', '--debug');
if (process.env.MIXTAPE_PORTABLE === '1') cmakeDefs.push('--CDMIXTAPE_NATIVE_ARCH=OFF');

let ok = false;
if (hasCmake()) {
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
  ok = run(process.execPath, [cmakeJs, 'rebuild', ...cmakeDefs, ...extra]);
  if (!ok) console.error('mixtape: cmake-js build failed; trying node-gyp');
}
if (!ok) {
  let gyp;
  try {
    gyp = require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const npmGyp = path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
    if (existsSync(npmGyp)) gyp = npmGyp;
  }
  if (!gyp) {
    console.error('mixtape: neither cmake nor node-gyp is available to build the native addon');
    process.exit(1);
  }
  ok = run(process.execPath, [gyp, 'rebuild']);
}
process.exit(ok ? 0 : 1);
