/**
 * How long a piece of async work blocks the caller's event loop: a 1 ms timer runs meanwhile, and
 * the longest gap between its ticks (or from the last tick to the end) is the longest stall.
 */
export async function withLoopStall<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; longestStallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(probe);
  }
  const ended = performance.now();
  return { result, seconds: (ended - started) / 1000, longestStallMs: Math.max(longest, ended - last) };
}
