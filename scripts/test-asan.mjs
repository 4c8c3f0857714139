// Builds the native addon with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ (its
// own folder: the normal build in build/ is left alone, and its `cmake-js rebuild` cannot wipe it)
// and runs the native and fuzz tests against it.
// Node itself is not instrumented, so the sanitizer runtimes are preloaded; leak detection is off
// because node keeps allocations alive until exit by design. Any sanitizer report fails the run:
// reports go to per-process log files, which are printed and counted at the end, and reports that
// reach the test run's output instead are counted there.
//
//   node scripts/test-asan.mjs [vitest filters...]   (default: test/native test/fuzz)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outDir = path.join(root, 'build-asan');
const addon = path.join(outDir, 'Debug', 'mixtape_native.node');
const logDir = path.join(outDir, 'reports');
const started = performance.now();

function fail(message) {
  console.error(`test:asan: ${message}`);
  process.exit(1);
}

function runtime(name) {
  const r = spawnSync(process.env.CC ?? 'gcc', [`-print-file-name=${name}`], { encoding: 'utf8' });
  const file = r.status === 0 ? r.stdout.trim() : '';
  // gcc echoes the bare name back when it does not know the library.
  if (!file || !path.isAbsolute(file) || !existsSync(file)) fail(`${name} not found (is gcc with sanitizer runtimes installed?)`);
  return file;
}

// 1. Build. `compile` configures on first use and is incremental afterwards; the build directory
// only ever holds the sanitized configuration. No node-gyp fallback: that would build into build/.
const defs = ['--CDMIXTAPE_SANITIZE=ON', '--debug'];
if (process.env.MIXTAPE_BLAS === 'off') defs.push('--CDMIXTAPE_USE_BLAS=OFF');
if (process.env.MIXTAPE_PORTABLE === '1') defs.push('--CDMIXTAPE_NATIVE_ARCH=OFF');
const build = spawnSync(process.execPath, [require.resolve('cmake-js/bin/cmake-js'), 'compile', ...defs, '-O', outDir], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0 || !existsSync(addon)) fail(`sanitized build failed (cmake-js compile -O ${path.relative(root, outDir)})`);
const builtSeconds = (performance.now() - started) / 1000;

// 2. Test under the sanitizers.
const asan = runtime('libasan.so');
const ubsan = runtime('libubsan.so');
rmSync(logDir, { recursive: true, force: true });
mkdirSync(logDir, { recursive: true });
const filters = process.argv.slice(2);
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const env = {
  ...process.env,
  LD_PRELOAD: [asan, ubsan, process.env.LD_PRELOAD].filter(Boolean).join(' '),
  ASAN_OPTIONS: `detect_leaks=0:abort_on_error=1:log_path=${path.join(logDir, 'asan')}`,
  UBSAN_OPTIONS: `halt_on_error=1:print_stacktrace=1:log_path=${path.join(logDir, 'ubsan')}`,
  MIXTAPE_NATIVE_PATH: addon,
  NO_COLOR: '1',
};
// A report can also reach the terminal instead of a log file (a UBSan report from a vitest worker
// did), so the run's output is passed through as it comes and its report headers are counted.
const REPORT_LINE = /runtime error:|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer/;
let printedReports = 0;
const tests = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    [vitest, 'run', ...(filters.length ? filters : ['test/native', 'test/fuzz']), '--outputFile.json', path.join('test-output', 'vitest-asan.json')],
    { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env },
  );
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    let partial = '';
    from.setEncoding('utf8');
    from.on('data', (chunk) => {
      to.write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      printedReports += lines.filter((l) => REPORT_LINE.test(l)).length;
    });
    from.on('end', () => {
      if (REPORT_LINE.test(partial)) printedReports++;
    });
  }
  child.on('close', (status, signal) => resolve({ status, signal }));
});

// 3. Any report fails the run, even one from a process whose exit vitest tolerated.
const reports = readdirSync(logDir).map((f) => path.join(logDir, f));
for (const file of reports) {
  console.error(`\n==== sanitizer report ${path.relative(root, file)} ====`);
  console.error(readFileSync(file, 'utf8'));
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `test:asan: ${reports.length + printedReports} sanitizer report(s) (${reports.length} in log files, ${printedReports} in the output); ` +
    `tests exited ${tests.status ?? tests.signal}; build ${builtSeconds.toFixed(1)} s, total ${seconds.toFixed(1)} s`,
);
process.exit(reports.length === 0 && printedReports === 0 && tests.status === 0 ? 0 : 1);
