/**
 * Worker pools shared by the cases of one in-process bench run, one per thread count, so that
 * cases do not each pay for starting workers (start-up is never inside a timed iteration anyway).
 */
import type { Piscina } from 'piscina';
import { createTrainPool } from '../train/pool.js';

const pools = new Map<number, Piscina>();

export function benchPool(threads: number): Piscina {
  let p = pools.get(threads);
  if (!p) {
    p = createTrainPool(threads);
    pools.set(threads, p);
  }
  return p;
}

export async function closeBenchPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.destroy()));
}
