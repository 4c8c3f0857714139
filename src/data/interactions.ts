/** Counts → Interactions: duplicates summed by the CSR builder, every entry positive evidence. */
import { buildCsr } from './csr.js';
import type { IdDictionary, Interactions } from '../types.js';

/** The matrix of Interactions without its dictionaries. */
export type InteractionsMatrix = Pick<Interactions, 'indptr' | 'indices' | 'pref' | 'weight'>;

/** (user, item, weight) triplets with their dictionaries, as readCounts gives them. */
export interface CountTriplets {
  users: IdDictionary;
  items: IdDictionary;
  user: Int32Array;
  item: Int32Array;
  weight: Float32Array;
}

/** Aggregates raw (user, item, weight) triplets into a users × items matrix (pref 1, summed weight). */
export function countsToInteractions(counts: CountTriplets): Interactions {
  return { users: counts.users, items: counts.items, ...countsMatrix(counts.users.size, counts.items.size, counts.user, counts.item, counts.weight) };
}

/** countsToInteractions' matrix from the triplets and the dictionaries' sizes alone. */
export function countsMatrix(users: number, items: number, user: Int32Array, item: Int32Array, weight: Float32Array): InteractionsMatrix {
  const m = buildCsr(users, items, user, item, [weight]);
  return {
    indptr: m.indptr,
    indices: m.indices,
    pref: new Float32Array(m.indices.length).fill(1),
    weight: m.values[0],
  };
}
