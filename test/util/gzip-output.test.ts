/**
 * Text outputs named *.gz are gzip: recommend's CSV (many members, read back whole by gunzip and
 * by mixtape's own readers), and reveal's CSV and JSON Lines, from plain or gzip inputs. A plain
 * file under a .gz name was written before, which every tool trusting the name fails on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCounts } from '../../src/data/index.js';
import { pseudonymToken, revealFile } from '../../src/privacy/index.js';
import { AtomicTextWriter } from '../../src/util/atomic-writer.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-gzip-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isGzip = (b: Buffer): boolean => b[0] === 0x1f && b[1] === 0x8b;

describe('gzip text outputs', () => {
  it('writes a .gz target compressed, in members that read back as the whole text', async () => {
    // About 3 MiB of counts: three flushes, so three members or more.
    let text = 'user_id,item_id,weight\n';
    for (let i = 0; i < 120_000; i++) text += `user-${i % 997},item-${(i * 7) % 1009},${(i % 13) + 1}\n`;
    const gz = path.join(dir, 'counts.csv.gz');
    const out = await AtomicTextWriter.open(gz);
    for (let at = 0; at < text.length; at += 4096) await out.write(text.slice(at, at + 4096));
    await out.commit();
    const bytes = readFileSync(gz);
    expect(isGzip(bytes)).toBe(true);
    expect(bytes.subarray(10).includes(Buffer.of(0x1f, 0x8b, 0x08))).toBe(true); // a second member
    expect(gunzipSync(bytes).toString()).toBe(text);
    const plain = path.join(dir, 'counts.csv');
    writeFileSync(plain, text);
    const [a, b] = [await readCounts(gz), await readCounts(plain)];
    expect(a.users.ids).toEqual(b.users.ids);
    expect(Array.from(a.weight)).toEqual(Array.from(b.weight));
    expect(a.weight.length).toBe(120_000);
  });

  it('leaves other names plain', async () => {
    const file = path.join(dir, 'plain.csv');
    const out = await AtomicTextWriter.open(file);
    await out.write('a,b\n1,2\n');
    await out.commit();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('reveals CSV and JSON Lines from and to gzip', async () => {
    const key = new TextEncoder().encode('k3y-for-tests-only-7f1c9a2b');
    const raw = ['alice', 'bob, jr.', 'zoë'];
    const tok = raw.map((u) => pseudonymToken(key, u));
    const csv = `user_id,rank\n${tok[0]},1\n${tok[1]},2\n${tok[2]},3\nstranger,4\n`;
    const revealedCsv = 'user_id,rank\nalice,1\n"bob, jr.",2\nzoë,3\nstranger,4\n';
    const jsonl = tok.map((t, i) => JSON.stringify({ user_id: t, rank: i + 1 })).join('\n') + '\n';
    const revealedJsonl = raw.map((u, i) => JSON.stringify({ user_id: u, rank: i + 1 })).join('\n') + '\n';
    writeFileSync(path.join(dir, 'in.csv.gz'), gzipSync(csv));
    writeFileSync(path.join(dir, 'in.jsonl.gz'), gzipSync(jsonl));
    const reveal = (input: string, out: string) => revealFile({ input: path.join(dir, input), out: path.join(dir, out), rawIds: raw, key });
    for (const [ext, summary, revealed] of [
      ['csv', { rows: 4, revealed: 3, unknown: 1 }, revealedCsv],
      ['jsonl', { rows: 3, revealed: 3, unknown: 0 }, revealedJsonl],
    ] as const) {
      expect(await reveal(`in.${ext}.gz`, `out.${ext}.gz`)).toEqual(summary);
      const gz = readFileSync(path.join(dir, `out.${ext}.gz`));
      expect(isGzip(gz)).toBe(true);
      expect(gunzipSync(gz).toString()).toBe(revealed);
      await reveal(`in.${ext}.gz`, `out.${ext}`);
      expect(readFileSync(path.join(dir, `out.${ext}`), 'utf8')).toBe(revealed);
    }
  });
});
