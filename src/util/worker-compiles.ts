/**
 * Where worker threads optimize their hot code: in the background (V8's default) or on their own
 * thread, as `MIXTAPE_WORKER_COMPILES` says (`background` or `own-thread`).
 *
 * Node 20 takes a worker's isolate off its platform before it disposes of the isolate. A background
 * optimizing compile of that worker still running then, which allocates and so may start
 * incremental marking, asks the platform for the isolate's task runner and aborts the whole
 * process ("Assertion failed: (data.first) != nullptr" in NodePlatform::ForIsolate). Pools that
 * end their threads as soon as fresh code has run on them (the signals stage's split rounds) are
 * where that can happen; it aborted about one test run in fifty, where hundreds of pools start and
 * end under heavy load, and the test runner sets `own-thread`. With V8's concurrent recompilation
 * off, an isolate started afterwards compiles on its own thread, so no compile outlives it. It is
 * not the default: two-thread ALS iterations ran 5–8% slower with it.
 *
 * The flag is V8's and so process-wide, but V8 reads it when an isolate starts: the main thread's
 * isolate (already running) keeps its background compiles, and threads started before the first
 * pool keep theirs.
 */
import v8 from 'node:v8';

export const WORKER_COMPILES_ENV = 'MIXTAPE_WORKER_COMPILES';

let done = false;

export function applyWorkerCompiles(): void {
  if (done) return;
  const mode = process.env[WORKER_COMPILES_ENV] ?? 'background';
  if (mode !== 'background' && mode !== 'own-thread') throw new RangeError(`${WORKER_COMPILES_ENV} must be 'background' or 'own-thread', got '${mode}'`);
  done = true;
  if (mode === 'own-thread') v8.setFlagsFromString('--no-concurrent-recompilation');
}
