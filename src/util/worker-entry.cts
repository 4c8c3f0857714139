/**
 * The file every pool thread loads first. Piscina loads its worker file with require(), and
 * Node ≥ 20.19 can require() an ES module; on that path Node's loader has a race that can abort
 * the whole process (a fatal "IsGraphAsync … must be used on an instantiated module"). This
 * CommonJS entry never requires an ES module: it imports the worker module named in
 * MIXTAPE_WORKER_MODULE and hands each task to that module's default export.
 */
const target = process.env.MIXTAPE_WORKER_MODULE;
if (!target) throw new Error('worker entry: MIXTAPE_WORKER_MODULE names no worker module');

type Handler = (task: unknown) => unknown;
const loaded: Promise<{ default: Handler }> = import(target);
// A failed import is reported by the first task, with the import's own error.
loaded.catch(() => undefined);

async function run(task: unknown): Promise<unknown> {
  const worker = await loaded;
  return worker.default(task);
}

export = run;
