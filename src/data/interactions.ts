/** Counts → Interactions: duplicates summed by the CSR builder, every entry positive evidence. */
import { buildCsr } from './csr.js';
import type { Counts } from './read-counts.js';
import type { Interactions } from '../types.js';

/** Aggregates raw (user, item, weight) triplets into a users × items matrix (pref 1, summed weight). */
export function countsToInteractions(counts: Pick<Counts, 'users' | 'items' | 'user' | 'item' | 'weight'>): Interactions {
  const m = buildCsr(counts.users.size, counts.items.size, counts.user, counts.item, [counts.weight]);
  return {
    users: counts.users,
    items: counts.items,
    indptr: m.indptr,
    indices: m.indices,
    pref: new Float32Array(m.indices.length).fill(1),
    weight: m.values[0],
  };
}
