/**
 * Every promise's value, in order, once all have settled; the first rejection in that order is
 * thrown. For tasks on a worker pool that is destroyed next: with Promise.all a task still running
 * when another failed would surface its late reply as an uncaught error.
 */
export async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}
