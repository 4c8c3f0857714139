/** Pool thread of item-kNN: the neighbours of a range of items, or the lists of a range of users, into shared memory. */
import { itemNeighbours, type CooccurrenceInput } from './item-neighbours.js';
import { knnLists, type KnnModel } from './item-knn-lists.js';
import type { RowSets } from './sparse.js';

export interface NeighboursTask {
  op: 'neighbours';
  input: CooccurrenceInput;
  begin: number;
  end: number;
  neighbours: number;
  outIds: Int32Array;
  outSims: Float32Array;
}

export interface ListsTask {
  op: 'lists';
  model: KnnModel;
  users: Int32Array;
  k: number;
  exclude: RowSets;
  begin: number;
  end: number;
  out: Int32Array;
}

export type ItemKnnTask = NeighboursTask | ListsTask;

export default function run(t: ItemKnnTask): null {
  if (t.op === 'neighbours') itemNeighbours(t.input, t.begin, t.end, t.neighbours, t.outIds, t.outSims);
  else knnLists(t.model, t.users, t.k, t.exclude, t.begin, t.end, t.out);
  return null;
}
