/**
 * reveal of delimited text, written as bytes: the id field maps back, every other field comes
 * back as the reader unquoted it and is quoted again only where it must be, for comma, tab and
 * semicolon files, plain and gzip, with tokens in runs and alternating, unknown ones and bytes
 * that are not UTF-8 kept. The oracle is a plain string-building reveal over parsed rows.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../reference/random.js';
import { pseudonymToken, revealFile } from '../../src/privacy/index.js';

const key = new TextEncoder().encode('k3y-for-delimited-tests-0b8e41');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-reveal-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Raw ids that need quoting in some delimiter, and one beyond ASCII.
const RAW = ['plain', 'with,comma', 'with;semi', 'tab\there', 'say "hi"', 'line\nbreak', 'zoë-🎧', ...Array.from({ length: 30 }, (_, i) => `listener-${i}`)];
const OTHER = ['x', 'a,b', 'c;d', 'e\tf', 'g"h', 'i\nj', 'k\r\nl', '', 'ünï', ' padded '];

/** A field as text delimited by `sep`, quoted where needed (what a writer of such files does). */
function field(s: string, sep: string): string {
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function rows(count: number, seed: number): string[][] {
  const rng = mulberry32(seed);
  const rnd = (n: number): number => Math.floor(rng() * n);
  const out: string[][] = [];
  let user = RAW[0];
  for (let i = 0; i < count; i++) {
    // Runs of one user's rows, a switch now and then, and tokens that are not of any raw id.
    if (rnd(4) === 0) user = RAW[rnd(RAW.length)];
    const id = rnd(15) === 0 ? `u_unknown${rnd(3)}` : pseudonymToken(key, user);
    out.push([OTHER[rnd(OTHER.length)], id, String(rnd(100)), OTHER[rnd(OTHER.length)]]);
  }
  return out;
}

function text(header: string[], body: string[][], sep: string): string {
  return [header, ...body].map((r) => r.map((f) => field(f, sep)).join(sep)).join('\n') + '\n';
}

/** The oracle: each token of a raw id replaced by it, every field written back by `field`. */
function expected(header: string[], body: string[][], sep: string): { text: string; revealed: number; unknown: number } {
  const byToken = new Map(RAW.map((u) => [pseudonymToken(key, u), u]));
  let revealed = 0;
  const out = body.map((r) => {
    const raw = byToken.get(r[1]);
    if (raw === undefined) return r;
    revealed++;
    return [r[0], raw, r[2], r[3]];
  });
  return { text: text(header, out, sep), revealed, unknown: body.length - revealed };
}

describe('reveal of delimited text', () => {
  const header = ['note', 'user_id', 'rank', 'extra, quoted'];
  const body = rows(5000, 11);

  for (const [name, sep] of [
    ['comma', ','],
    ['tab', '\t'],
    ['semicolon', ';'],
  ] as const) {
    it(`maps tokens back in a ${name}-delimited file, quoting only where needed`, async () => {
      const ext = sep === '\t' ? 'tsv' : 'csv';
      const input = path.join(dir, `${name}.${ext}`);
      writeFileSync(input, text(header, body, sep));
      const out = path.join(dir, `${name}-revealed.${ext}`);
      const summary = await revealFile({ input, out, rawIds: RAW, key });
      const want = expected(header, body, sep);
      expect(summary).toEqual({ rows: body.length, revealed: want.revealed, unknown: want.unknown });
      expect(want.unknown).toBeGreaterThan(0);
      expect(readFileSync(out, 'utf8')).toBe(want.text);
    });
  }

  it('reads and writes gzip, and writes rows past a piece of 1 MiB', async () => {
    const big = rows(100_000, 3);
    const input = path.join(dir, 'big.csv.gz');
    writeFileSync(input, gzipSync(text(header, big, ',')));
    const out = path.join(dir, 'big-revealed.csv.gz');
    const summary = await revealFile({ input, out, rawIds: RAW, key });
    const want = expected(header, big, ',');
    expect(Buffer.byteLength(want.text)).toBeGreaterThan(2 << 20);
    expect(summary.revealed).toBe(want.revealed);
    expect(gunzipSync(readFileSync(out)).toString('utf8')).toBe(want.text);
  });

  it('keeps bytes that are not UTF-8 as they were, in other fields and in an unknown id', async () => {
    const t = pseudonymToken(key, 'plain');
    const input = path.join(dir, 'bytes.csv');
    writeFileSync(input, Buffer.concat([Buffer.from(`a,user_id\n`), Buffer.from([0xff, 0x2c]), Buffer.from(`${t}\nb,`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
    const out = path.join(dir, 'bytes-revealed.csv');
    expect(await revealFile({ input, out, rawIds: RAW, key })).toEqual({ rows: 2, revealed: 1, unknown: 1 });
    expect(readFileSync(out)).toEqual(Buffer.concat([Buffer.from('a,user_id\n'), Buffer.from([0xff]), Buffer.from(',plain\nb,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
  });

  it('fails on a malformed row naming its line, and leaves no output', async () => {
    const input = path.join(dir, 'bad.csv');
    writeFileSync(input, `a,user_id\nx,${pseudonymToken(key, 'plain')}\ny\n`);
    const out = path.join(dir, 'bad-revealed.csv');
    await expect(revealFile({ input, out, rawIds: RAW, key })).rejects.toThrow(/bad\.csv:3: /);
    expect(existsSync(out)).toBe(false);
  });
});
