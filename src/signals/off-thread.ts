/**
 * The signals stage off the caller's thread, for a service that must not hold its event loop: at
 * 10 M events the stage runs for seconds. The log's columns go to the pool in shared memory
 * (copied a slice per event-loop turn unless they already are in shared memory, as `readEvents`
 * leaves them with `sharedColumns`). A large log is split by accounts over several threads
 * (shards.ts); a small one runs on one. The parts come back moved, not copied, and the report is
 * named here with the log's ids.
 */
import type { Piscina } from 'piscina';
import type { EventLog } from '../types.js';
import { defaultThreads, runOnThreads, runOnWorker } from '../util/worker-pool.js';
import { movableBuffers } from '../util/move-result.js';
import { inSharedMemory, sharedArray } from '../util/shared-memory.js';
import { assembleSignals, checkSignalsOptions, signalsProgress, SIGNALS_STEPS, type SignalsOptions, type SignalsParts, type SignalsResult } from './index.js';
import type { LogColumns } from './log-columns.js';
import type { UserRange } from './range-steps.js';
import { accountRanges, sharedFeatures, weighedArrays, type JoinTask, type JudgedShard, type JudgeTask, type WeighedShard, type WeighTask } from './shards.js';

/** The whole stage on one thread. */
export interface SignalsTask {
  op: 'stage';
  log: LogColumns;
  options: StageOptions;
  /** Where the worker leaves the number of steps done, when the caller follows the progress. */
  progress: Int32Array | null;
}

type StageOptions = Omit<SignalsOptions, 'onProgress' | 'transferLog' | 'threads'>;

/** Logs from this many events are split over the machine's cores unless `threads` says otherwise. */
export const SHARD_MIN_EVENTS = 1 << 20;

/**
 * Shards by default at most: each shard reads the whole log in its scans (to check it, to find its
 * events and, when durations are missing, to estimate them), so on a many-core machine more shards
 * add memory traffic faster than speed. `threads` goes beyond it.
 */
export const DEFAULT_MAX_SHARDS = 4;

/** The stage's threads for a log of `events` on `cores` cores when the caller does not say. */
export function defaultSignalsThreads(events: number, cores: number): number {
  return events >= SHARD_MIN_EVENTS ? Math.max(1, Math.min(cores, DEFAULT_MAX_SHARDS)) : 1;
}

/** How often the caller looks at the workers' progress, in ms. */
const PROGRESS_POLL_MS = 200;

/**
 * computeSignals off the caller's thread: the same interactions, exclusions and report, bit for
 * bit. The caller's log is not changed (its columns are copied when they are not shared), unless
 * `transferLog` moves them.
 */
export async function computeSignalsAsync(log: EventLog, options: SignalsOptions): Promise<SignalsResult> {
  checkSignalsOptions(options); // fail before any copy
  const { onProgress, transferLog, threads, ...rest } = options;
  const ranges = accountRanges(log.user, log.users.size, threads ?? defaultSignalsThreads(log.length, defaultThreads()));
  const parts = ranges.length > 1 ? await shardedParts(log, rest, ranges, onProgress, transferLog ?? false) : await oneThreadParts(log, rest, onProgress, transferLog ?? false);
  return assembleSignals(log, parts);
}

/** The stage on a thread of its own; moved columns go as they are. */
async function oneThreadParts(log: EventLog, options: StageOptions, onProgress: SignalsOptions['onProgress'], transferLog: boolean): Promise<SignalsParts> {
  const transfer = new Set<ArrayBuffer>();
  const columns = await logColumns(log, async (a) => {
    if (transferLog && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) {
      transfer.add(a.buffer);
      return a;
    }
    return inSharedMemory(a);
  });
  const progress = onProgress ? new Int32Array(new SharedArrayBuffer(4)) : null;
  const task: SignalsTask = { op: 'stage', log: columns, options, progress };
  const follow = onProgress && progress ? followProgress(() => Atomics.load(progress, 0), onProgress) : null;
  let parts: SignalsParts;
  try {
    parts = (await runOnWorker(import.meta.url, 'worker', task, [...transfer])) as SignalsParts;
  } finally {
    follow?.stop();
  }
  follow?.finish();
  return parts;
}

/**
 * The stage split by accounts into `ranges`, a thread each (see shards.ts). Every thread reads the
 * whole log, so its columns are shared; a moved log's plain columns are copied into shared memory
 * and then detached, so the caller cannot use them by mistake.
 */
async function shardedParts(log: EventLog, options: StageOptions, ranges: UserRange[], onProgress: SignalsOptions['onProgress'], transferLog: boolean): Promise<SignalsParts> {
  const columns = await logColumns(log, (a) => inSharedMemory(a));
  if (transferLog) detachPlainColumns(log);
  const progress = onProgress ? new Int32Array(new SharedArrayBuffer(4 * ranges.length)) : null;
  // The shards' slowest step, until the join (the track flags) and its end.
  let stage: number | null = null;
  const follow = onProgress && progress ? followProgress(() => stage ?? minOf(progress), onProgress) : null;
  const durations = sharedArray(Float32Array, log.length);
  const features = sharedFeatures(columns.users);
  let parts: SignalsParts;
  try {
    const room = Math.ceil((1.1 * log.length) / ranges.length);
    const base = (s: number): Omit<JudgeTask, 'op'> => ({ log: columns, options, range: ranges[s], shard: s, durations, features, progress, room });
    // Each round runs on threads that end with it: a round's scratch (gigabytes at 100 M events)
    // is freed then; left to the collector, it was taken back or not before the next round grew,
    // and a 100 M-event training run's peak varied from 7.9 to 8.7 GB from run to run.
    const inRound = (threads: number, start: (pool: Piscina) => Promise<unknown>[]) => runOnThreads(import.meta.url, 'worker', threads, start);
    const judged = (await inRound(ranges.length, (pool) => ranges.map((_, s) => pool.run({ op: 'judge', ...base(s) } satisfies JudgeTask)))) as JudgedShard[];
    const weighed = (await inRound(ranges.length, (pool) =>
      ranges.map((_, s) => {
        const task: WeighTask = { op: 'weigh', ...base(s), judged: judged[s], withTrust: s === 0 };
        const { events, accountTracks, capped } = judged[s];
        return pool.run(task, { transferList: movableBuffers([events.present, accountTracks.ptr, accountTracks.track, capped]) });
      }),
    )) as WeighedShard[];
    stage = SIGNALS_STEPS.length - 1;
    const trust = weighed[0].trust!;
    const join: JoinTask = {
      op: 'join',
      options,
      events: log.length,
      estimated: judged.reduce((a, j) => a + j.estimated, 0),
      ranges,
      shards: weighed.map((w) => w.weighed),
      trust,
    };
    const moved = weighed.flatMap((w) => weighedArrays(w.weighed));
    parts = (await runOnWorker(import.meta.url, 'worker', join, movableBuffers([...moved, trust.trust]))) as SignalsParts;
    stage = SIGNALS_STEPS.length;
  } finally {
    follow?.stop();
  }
  follow?.finish();
  return parts;
}

function minOf(cells: Int32Array): number {
  let m = Infinity;
  for (let i = 0; i < cells.length; i++) m = Math.min(m, Atomics.load(cells, i));
  return m;
}

type Column = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The log as a pool thread gets it, each column through `place`. */
async function logColumns(log: EventLog, place: <T extends Column>(a: T) => Promise<T>): Promise<LogColumns> {
  const optional = async <T extends Float32Array | Int32Array>(a: T | undefined): Promise<T | null> => (a ? place(a) : null);
  return {
    length: log.length,
    users: log.users.size,
    tracks: log.tracks.size,
    artists: log.artists ? log.artists.size : null,
    user: await place(log.user),
    track: await place(log.track),
    timestamp: await place(log.timestamp),
    kind: await place(log.kind),
    msPlayed: await place(log.msPlayed),
    durationMs: await optional(log.durationMs),
    artist: log.artists ? await optional(log.artist) : null,
  };
}

/** Detach the log's plain column buffers (their memory goes at the next collection). */
function detachPlainColumns(log: EventLog): void {
  const buffers = movableBuffers([log.user, log.track, log.timestamp, log.kind, log.msPlayed, log.durationMs, log.artist]);
  if (buffers.length > 0) structuredClone(buffers, { transfer: buffers });
}

/**
 * Reports the workers' steps to `onProgress` as they change, from a timer on the caller's thread.
 * An error the callback throws is kept and thrown by finish() (a timer has nobody to throw to).
 */
function followProgress(stepsDone: () => number, onProgress: NonNullable<SignalsOptions['onProgress']>): { stop(): void; finish(): void } {
  let told = -1;
  let failure: { error: unknown } | null = null;
  const tell = (): void => {
    const done = stepsDone();
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
