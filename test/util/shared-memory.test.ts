import { describe, expect, it } from 'vitest';

import { bytesToCacheLine } from '../../src/native/index.js';
import { inSharedMemory, sharedArray, toShared, toSharedInTurns } from '../../src/util/shared-memory.js';

describe('sharedArray', () => {
  it('starts every array on a 64-byte cache line, zeroed, at every size and element type', () => {
    // Large buffers come from the allocator 16 bytes past a page boundary; small ones anywhere.
    const makers = [
      (n: number) => sharedArray(Float32Array, n),
      (n: number) => sharedArray(Float64Array, n),
      (n: number) => sharedArray(Int32Array, n),
      (n: number) => sharedArray(Uint8Array, n),
    ];
    for (const length of [0, 1, 3, 17, 1000, 100_000, 3_000_000]) {
      for (const make of makers) {
        const a = make(length);
        expect(a.length).toBe(length);
        expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(bytesToCacheLine(a)).toBe(0);
        expect(Array.from(a as ArrayLike<number>).every((x) => x === 0)).toBe(true);
      }
    }
  });

  it('is its own shared memory for toShared (no copy), while plain arrays and views are copied', async () => {
    const a = sharedArray(Float32Array, 5000);
    expect(toShared(a)).toBe(a);
    expect(await toSharedInTurns(a)).toBe(a);
    const plain = Float32Array.from({ length: 5000 }, (_, i) => i);
    const copy = toShared(plain);
    expect(copy).not.toBe(plain);
    expect(copy.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bytesToCacheLine(copy)).toBe(0);
    expect(Array.from(copy)).toEqual(Array.from(plain));
    const part = a.subarray(100, 200);
    expect(toShared(part)).not.toBe(part);
  });

  it('takes any view of shared memory as it is for a worker that reads it, and copies plain arrays', async () => {
    const a = sharedArray(Int32Array, 5000);
    const part = a.subarray(100, 200);
    expect(await inSharedMemory(part)).toBe(part);
    expect(await inSharedMemory(a)).toBe(a);
    const plain = Int32Array.from({ length: 300 }, (_, i) => i - 7);
    const copy = await inSharedMemory(plain);
    expect(copy.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(copy)).toEqual(Array.from(plain));
  });
});

describe('bytesToCacheLine', () => {
  it('counts the bytes to the next 64-byte boundary of a view', () => {
    const a = sharedArray(Uint8Array, 256);
    for (const offset of [0, 1, 16, 63, 64, 100]) expect(bytesToCacheLine(a.subarray(offset))).toBe((64 - (offset % 64)) % 64);
    expect(() => bytesToCacheLine({} as never)).toThrow(TypeError);
  });
});
