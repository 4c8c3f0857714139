/** Pool thread of item-kNN: the neighbours of one range of items, written into shared memory. */
import { itemNeighbours, type CooccurrenceInput } from './item-neighbours.js';

export interface ItemKnnTask {
  input: CooccurrenceInput;
  begin: number;
  end: number;
  neighbours: number;
  outIds: Int32Array;
  outSims: Float32Array;
}

export default function run(t: ItemKnnTask): null {
  itemNeighbours(t.input, t.begin, t.end, t.neighbours, t.outIds, t.outSims);
  return null;
}
