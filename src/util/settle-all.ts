/**
 * Every promise's value, in order (a tuple keeps its types), once all have settled; the first
 * rejection in that order is thrown. For tasks on a worker pool that is destroyed next: with
 * Promise.all a task still running when another failed would surface its late reply as an uncaught
 * error. And for work started side by side: neither's failure leaves the other running unawaited.
 */
export async function settleAll<T extends readonly unknown[]>(promises: { readonly [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
