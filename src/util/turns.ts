/**
 * Cooperative turns for short synchronous work on the JS thread. Each waiting caller gets its own
 * event-loop iteration (an immediate queued from inside an immediate runs in the next iteration),
 * so timers and I/O of an embedding service run between calls instead of behind all of them.
 */
const waiting: (() => void)[] = [];
let draining = false;

export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  });
}

function drain(): void {
  const next = waiting.shift();
  next?.();
  if (waiting.length > 0) setImmediate(drain);
  else draining = false;
}

/**
 * Two turns: work that arrives in an I/O callback (a file read that just finished) gets its first
 * immediate in the same loop iteration, before the loop's timers; the second comes after them.
 */
export async function turnAfterIo(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

/**
 * Calls `each(from, to)` over [0, count) in slices of `perTurn`, one slice per event-loop turn
 * (the first at once unless `turnFirst`): for work on a million ids or rows that a service's
 * thread must not do in one go.
 */
export async function inSlicesPerTurn(count: number, perTurn: number, each: (from: number, to: number) => void, turnFirst = false): Promise<void> {
  for (let from = 0; from < count; from += perTurn) {
    if (from > 0 || turnFirst) await nextTurn();
    each(from, Math.min(count, from + perTurn));
  }
}
