import { describe, expect, it } from 'vitest';
import { BytePieces } from '../../src/util/byte-pieces.js';

/** Appends `text` as a writer does: room first, then bytes in place. */
function append(p: BytePieces, text: string): void {
  p.reserve(Buffer.byteLength(text));
  p.pos += p.buf.write(text, p.pos);
}

describe('BytePieces', () => {
  it('hands out every byte once, in order, in pieces no larger than asked unless a row is', () => {
    const p = new BytePieces(16);
    const rows = ['alpha,1\n', 'beta,22\n', 'gamma,333\n', 'a row longer than one piece\n', 'z\n'];
    const out: Buffer[] = [];
    for (const r of rows) {
      append(p, r);
      if (p.hasFull) out.push(...p.take());
    }
    expect(p.hasFull).toBe(false);
    out.push(...p.take(true));
    expect(Buffer.concat(out).toString()).toBe(rows.join(''));
    // Rows never straddle pieces; only a piece holding one long row exceeds the size.
    expect(out.map((b) => b.toString())).toEqual(['alpha,1\nbeta,22\n', 'gamma,333\n', 'a row longer than one piece\n', 'z\n']);
    expect(p.take(true)).toEqual([]);
  });
});
