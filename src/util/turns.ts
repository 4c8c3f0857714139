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
