/**
 * Worker threads optimize their code on their own thread, not in the background.
 *
 * Node 20 takes a worker's isolate off its platform before it disposes of the isolate. A background
 * optimizing compile of that worker still running then, which allocates and so may start
 * incremental marking, asks the platform for the isolate's task runner and aborts the whole
 * process ("Assertion failed: (data.first) != nullptr" in NodePlatform::ForIsolate). Our pools end
 * their threads as soon as their tasks are done, while the hot code of those tasks may still be
 * compiling; it aborted a test run about once in fifty. With V8's concurrent recompilation off, an
 * isolate started afterwards compiles on its own thread, so no compile outlives it.
 *
 * The flag is V8's and so process-wide, but V8 reads it when an isolate starts: the main thread's
 * isolate (already running) keeps its background compiles, and threads started before the first
 * pool keep theirs. For a worker the cost is a pause of a few milliseconds while a hot function
 * compiles, which its thread would otherwise share with the compiling one on a busy machine.
 */
import v8 from 'node:v8';

let done = false;

export function optimizeOnWorkerThreads(): void {
  if (done) return;
  done = true;
  v8.setFlagsFromString('--no-concurrent-recompilation');
}
