/**
 * Pool thread of computeSignalsAsync: the stage's parts from the log's shared columns, its arrays
 * moved back.
 */
import { movedResult } from '../util/move-result.js';
import type { EventLog, IdDictionary } from '../types.js';
import { signalsParts } from './index.js';
import type { SignalsTask } from './off-thread.js';

/**
 * A dictionary of which the worker knows only the size: the stage reads sizes, and the ids are
 * named on the caller's thread. Any other use is a bug, and says so.
 */
class SizeOnly implements IdDictionary {
  constructor(readonly size: number) {}
  get ids(): readonly string[] {
    throw new Error('signals worker: ids are named on the caller\'s thread');
  }
  get(): number | undefined {
    throw new Error('signals worker: ids are looked up on the caller\'s thread');
  }
}

export default function run(task: SignalsTask): unknown {
  const log: EventLog = {
    length: task.length,
    users: new SizeOnly(task.users),
    tracks: new SizeOnly(task.tracks),
    user: task.user,
    track: task.track,
    timestamp: task.timestamp,
    kind: task.kind,
    msPlayed: task.msPlayed,
    ...(task.durationMs ? { durationMs: task.durationMs } : {}),
    ...(task.artists !== null && task.artist ? { artist: task.artist, artists: new SizeOnly(task.artists) } : {}),
  };
  const cell = task.progress;
  const parts = signalsParts(log, cell ? { ...task.options, onProgress: (p) => Atomics.store(cell, 0, p.done) } : task.options);
  const { matrix, exclusions } = parts;
  return movedResult(parts, [matrix.indptr, matrix.indices, matrix.pref, matrix.weight, matrix.trust, exclusions.tracks.indptr, exclusions.tracks.indices, exclusions.artistsByUser.indptr, exclusions.artistsByUser.indices]);
}
