import { describe, expect, it } from 'vitest';
import { ByteTable, hashBytes } from '../../src/data/byte-table.js';
import { mulberry32 } from '../../src/util/random.js';

describe('ByteTable', () => {
  it('finds every key it stored through many rehashes and arena growths, and none it did not', () => {
    const rand = mulberry32(17);
    const keys: string[] = [];
    const seen = new Set<string>();
    // Keys of 0 to 80 bytes, many sharing long prefixes, some multi-byte: the arena outgrows 64 KiB.
    while (keys.length < 60_000) {
      const k = `${'prefix-'.repeat(Math.floor(rand() * 10))}${Math.floor(rand() * 1e9).toString(36)}${rand() < 0.1 ? 'ü' : ''}`.slice(0, Math.floor(rand() * 81));
      if (!seen.has(k)) seen.add(k), keys.push(k);
    }
    // All keys in one buffer at odd offsets, as rows of a file are.
    const enc = new TextEncoder();
    const parts = keys.map((k) => enc.encode(k));
    const buf = new Uint8Array(parts.reduce((a, p) => a + p.length + 1, 0));
    const starts = new Int32Array(keys.length);
    const ends = new Int32Array(keys.length);
    let at = 0;
    parts.forEach((p, i) => {
      at += 1;
      starts[i] = at;
      buf.set(p, at);
      at += p.length;
      ends[i] = at;
    });
    const table = new ByteTable();
    const stored = keys.length / 2;
    for (let i = 0; i < stored; i++) {
      const h = hashBytes(buf, starts[i], ends[i]);
      const free = table.find(buf, starts[i], ends[i], h);
      expect(free).toBeLessThan(0);
      table.add(buf, starts[i], ends[i], h, -1 - free, i * 3);
    }
    expect(table.size).toBe(stored);
    const out = new Int32Array(keys.length);
    table.lookupAll(buf, starts, ends, 1, keys.length, out, -7);
    for (let i = 0; i < keys.length; i++) if (out[i] !== (i < stored ? i * 3 : -7)) expect.fail(`key ${i} (${JSON.stringify(keys[i])}): ${out[i]}`);
    // Keys are copies: the source buffer may change.
    buf.fill(0);
    const again = enc.encode(keys[123]);
    expect(table.find(again, 0, again.length, hashBytes(again, 0, again.length))).toBe(369);
  });
});
