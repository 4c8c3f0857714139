/**
 * A pool thread's result with its arrays' plain buffers moved back, not copied: a plain buffer
 * sent back in a message is copied on the caller's thread as it takes the message in. Shared and
 * empty buffers are left to the message (shared memory is not copied), and a buffer that several
 * arrays view is moved once.
 */
import { Piscina } from 'piscina';

export function movedResult(value: unknown, arrays: readonly (ArrayBufferView | null | undefined)[]): unknown {
  return Piscina.move({ [Piscina.transferableSymbol]: movableBuffers(arrays), [Piscina.valueSymbol]: value } as never);
}

/** The distinct plain, non-empty buffers the arrays view: what a message can move. */
export function movableBuffers(arrays: readonly (ArrayBufferView | null | undefined)[]): ArrayBuffer[] {
  const moved = new Set<ArrayBuffer>();
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) moved.add(a.buffer);
  return [...moved];
}
