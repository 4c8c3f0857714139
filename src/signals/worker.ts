/**
 * Pool thread of computeSignalsAsync: the whole stage on one thread, or a round of one shard of
 * it (shards.ts), from the log's shared columns; result arrays moved back, the matrix in shared
 * memory (see sharedMatrix).
 */
import { movedResult } from '../util/move-result.js';
import { toShared } from '../util/shared-memory.js';
import { signalsParts, type SignalsParts } from './index.js';
import { logOfColumns } from './log-columns.js';
import type { SignalsTask } from './off-thread.js';
import { joinShards, judgeShard, weighedArrays, weighShard, type JoinTask, type JudgeTask, type WeighTask } from './shards.js';

export type SignalsWorkerTask = SignalsTask | JudgeTask | WeighTask | JoinTask;

export default function run(task: SignalsWorkerTask): unknown {
  switch (task.op) {
    case 'stage': {
      const cell = task.progress;
      const onProgress = cell
        ? (p: { done: number }): void => {
            Atomics.store(cell, 0, p.done);
          }
        : undefined;
      return movedParts(signalsParts(logOfColumns(task.log), { ...task.options, ...(onProgress ? { onProgress } : {}) }));
    }
    case 'judge': {
      const judged = judgeShard(task);
      return movedResult(judged, [judged.events.present, judged.accountTracks.ptr, judged.accountTracks.track, judged.capped]);
    }
    case 'weigh': {
      const weighed = weighShard(task);
      return movedResult(weighed, [...weighedArrays(weighed.weighed), weighed.trust?.trust]);
    }
    case 'join':
      return movedParts(joinShards(task));
  }
}

function movedParts(stage: SignalsParts): unknown {
  const parts = sharedMatrix(stage);
  const { matrix, exclusions } = parts;
  return movedResult(parts, [matrix.indptr, matrix.indices, matrix.pref, matrix.weight, matrix.trust, exclusions.tracks.indptr, exclusions.tracks.indices, exclusions.artistsByUser.indptr, exclusions.artistsByUser.indices]);
}

/**
 * The parts with the matrix's arrays in shared memory of their own, as train() and the model keep
 * them: given plain ones, train() made shared copies on the caller's thread and the caller kept
 * both (1.2 GB more through training at 100 M entries). The join writes them there already; the
 * one-thread stage's come from its scratch and are copied here, off the caller's thread.
 */
function sharedMatrix(parts: SignalsParts): SignalsParts {
  const { indptr, indices, pref, weight } = parts.matrix;
  return { ...parts, matrix: { ...parts.matrix, indptr: toShared(indptr), indices: toShared(indices), pref: toShared(pref), weight: toShared(weight) } };
}
