/** Pool thread of countsToInteractionsAsync: the matrix from shared triplets, moved back. */
import { movedResult } from '../util/move-result.js';
import { countsMatrix } from './interactions.js';
import type { CountsTask } from './interactions-off-thread.js';

export default function run(task: CountsTask): unknown {
  const m = countsMatrix(task.users, task.items, task.user, task.item, task.weight);
  return movedResult(m, [m.indptr, m.indices, m.pref, m.weight]);
}
