/**
 * Ctrl-C (SIGINT) or SIGTERM during a command: remove the temporary files in flight, say in one
 * line what was kept and how to continue, and end by the signal (the shell reports 128 + n).
 * Without this a killed run said nothing and could leave a half-written temporary sibling behind.
 */
import { removeTempFiles, stopTempFiles, tempWritesSettled } from '../util/atomic.js';
import { releaseHeldLocksSync } from '../util/run-lock.js';

const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

let note: (() => string | undefined) | undefined;

/** What an interruption keeps and how to continue (the running command's words). */
export function setInterruptNote(describe: (() => string | undefined) | undefined): void {
  note = describe;
}

let interrupted = false;

/** Whether a signal is ending the run (errors it causes are not reported: the signal is). */
export function isInterrupted(): boolean {
  return interrupted;
}

/**
 * Atomic writes under way when the signal came get this long to finish or fail (each step of one
 * is in the thread pool and could create its temporary file after a first removal).
 */
const SETTLE_MS = 3000;
const POLL_MS = 10;

export function installInterruptHandler(): void {
  for (const [signal, code] of SIGNALS) {
    process.once(signal, () => {
      interrupted = true;
      stopTempFiles();
      let extra: string | undefined;
      try {
        extra = note?.();
      } catch {
        extra = undefined;
      }
      process.stderr.write(`mixtape: interrupted (${signal})${extra ? `; ${extra}` : ''}\n`);
      const started = Date.now();
      const finish = (): void => {
        if (!tempWritesSettled() && Date.now() - started < SETTLE_MS) {
          setTimeout(finish, POLL_MS);
          return;
        }
        removeTempFiles();
        releaseHeldLocksSync();
        // Re-raise with the default action rather than process.exit: exit tears the runtime down
        // under native solves still running in worker threads, which then abort the process.
        process.kill(process.pid, signal);
        setTimeout(() => process.exit(code), 1000).unref();
      };
      finish();
    });
  }
}
