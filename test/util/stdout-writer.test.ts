import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputClosedError, StdoutTextWriter } from '../../src/util/stdout-writer.js';

/** A stream that takes a chunk every few milliseconds into `got`, with a small buffer: it pushes back. */
function slowStream(got: Buffer[], fail?: NodeJS.ErrnoException, after = Infinity): Writable {
  let n = 0;
  return new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      if (n++ >= after) return done(fail);
      setTimeout(() => (got.push(chunk), done()), 2);
    },
  });
}

describe('StdoutTextWriter', () => {
  it('hands every piece over in order, waiting for a slow reader, and commits once all is taken', async () => {
    const got: Buffer[] = [];
    const w = new StdoutTextWriter(slowStream(got));
    const expected: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const line = `user${i},${i % 50},track${(i * 7) % 1000},0.${i}\n`;
      expected.push(line);
      await w.write(i % 2 === 0 ? line : Buffer.from(line));
    }
    await w.commit();
    expect(Buffer.concat(got).toString()).toBe(expected.join(''));
  });

  it('ends with OutputClosedError when the reader closes the pipe, and with the stream error otherwise', async () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const closed = new StdoutTextWriter(slowStream([], epipe, 0));
    const big = 'x'.repeat(1 << 20);
    await expect(closed.write(big)).rejects.toBeInstanceOf(OutputClosedError);
    await expect(closed.commit()).rejects.toBeInstanceOf(OutputClosedError);
    const full = Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' });
    const failed = new StdoutTextWriter(slowStream([], full, 0));
    await failed.write('short');
    await expect(failed.commit()).rejects.toThrow('write ENOSPC');
  });
});
