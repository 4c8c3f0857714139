/** Pool thread of countsToInteractionsAsync: the matrix from shared triplets, moved back. */
import { Piscina } from 'piscina';
import { countsMatrix } from './interactions.js';
import type { CountsTask } from './interactions-off-thread.js';

export default function run(task: CountsTask): unknown {
  const m = countsMatrix(task.users, task.items, task.user, task.item, task.weight);
  const moved = new Set<ArrayBuffer>();
  for (const a of [m.indptr, m.indices, m.pref, m.weight]) if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) moved.add(a.buffer);
  return Piscina.move({ [Piscina.transferableSymbol]: [...moved], [Piscina.valueSymbol]: m } as never);
}
