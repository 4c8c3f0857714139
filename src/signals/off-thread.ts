/**
 * The signals stage on a worker thread, for a service that must not hold its event loop: at 10 M
 * events the stage runs for seconds. The log's columns go to the worker in shared memory (copied a
 * slice per event-loop turn unless they already are in shared memory, as `readEvents` leaves them
 * with `sharedColumns`); the worker computes the stage's
 * parts, which come back moved, not copied, and the report is named here with the log's ids.
 */
import type { EventLog } from '../types.js';
import { runOnWorker } from '../util/worker-pool.js';
import { inSharedMemory } from '../util/shared-memory.js';
import { assembleSignals, checkSignalsOptions, signalsProgress, type SignalsOptions, type SignalsParts, type SignalsResult } from './index.js';

/** The log as the worker gets it: its columns in shared memory and its dictionaries' sizes. */
export interface SignalsTask {
  length: number;
  users: number;
  tracks: number;
  artists: number | null;
  user: Int32Array;
  track: Int32Array;
  timestamp: Float64Array;
  kind: Uint8Array;
  msPlayed: Float32Array;
  durationMs: Float32Array | null;
  artist: Int32Array | null;
  options: Omit<SignalsOptions, 'onProgress'>;
  /** Where the worker leaves the number of steps done, when the caller follows the progress. */
  progress: Int32Array | null;
}

/** How often the caller looks at the worker's progress, in ms. */
const PROGRESS_POLL_MS = 200;

/**
 * computeSignals off the caller's thread: the same interactions, exclusions and report, bit for
 * bit. The caller's log is not changed (its columns are copied when they are not shared), unless
 * `transferLog` moves them.
 */
export async function computeSignalsAsync(log: EventLog, options: SignalsOptions): Promise<SignalsResult> {
  checkSignalsOptions(options); // fail before any copy
  const { onProgress, transferLog, ...rest } = options;
  // Moved columns go as they are; the others in shared memory.
  const transfer = new Set<ArrayBuffer>();
  const column = async <T extends Float32Array | Float64Array | Int32Array | Uint8Array>(a: T): Promise<T> => {
    if (transferLog && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) {
      transfer.add(a.buffer);
      return a;
    }
    return inSharedMemory(a);
  };
  const optional = async <T extends Float32Array | Int32Array>(a: T | undefined): Promise<T | null> => (a ? column(a) : null);
  const task: SignalsTask = {
    length: log.length,
    users: log.users.size,
    tracks: log.tracks.size,
    artists: log.artists ? log.artists.size : null,
    user: await column(log.user),
    track: await column(log.track),
    timestamp: await column(log.timestamp),
    kind: await column(log.kind),
    msPlayed: await column(log.msPlayed),
    durationMs: await optional(log.durationMs),
    artist: log.artists ? await optional(log.artist) : null,
    options: rest,
    progress: onProgress ? new Int32Array(new SharedArrayBuffer(4)) : null,
  };
  const follow = onProgress && task.progress ? followProgress(task.progress, onProgress) : null;
  let parts: SignalsParts;
  try {
    parts = (await runOnWorker(import.meta.url, 'worker', task, [...transfer])) as SignalsParts;
  } finally {
    follow?.stop();
  }
  follow?.finish();
  return assembleSignals(log, parts);
}

/**
 * Reports the worker's steps to `onProgress` as they change, from a timer on the caller's thread.
 * An error the callback throws is kept and thrown by finish() (a timer has nobody to throw to).
 */
function followProgress(cell: Int32Array, onProgress: NonNullable<SignalsOptions['onProgress']>): { stop(): void; finish(): void } {
  let told = -1;
  let failure: { error: unknown } | null = null;
  const tell = (): void => {
    const done = Atomics.load(cell, 0);
    if (done === told || failure) return;
    told = done;
    try {
      onProgress(signalsProgress(done));
    } catch (error) {
      failure = { error };
    }
  };
  tell();
  const timer = setInterval(tell, PROGRESS_POLL_MS);
  return {
    stop: () => clearInterval(timer),
    finish() {
      tell();
      if (failure) throw failure.error;
    },
  };
}
