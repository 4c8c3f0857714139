/**
 * reveal of JSON Lines, split and copied as bytes: every line parses to the oracle's row (the
 * input line parsed, its id mapped back), and a line without a backslash is its input text with
 * only the id's string replaced. Random lines: keys in any order and spacing, nested objects that
 * repeat the key, tokens written with escapes, unknown and non-string ids, numbers as written,
 * text beyond ASCII, CRLF and blank lines; plain and gzip; lines across read buffers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../reference/random.js';
import { pseudonymToken, revealFile } from '../../src/privacy/index.js';

const key = new TextEncoder().encode('k3y-for-json-lines-tests-7c21d9');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-reveal-jsonl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RAW = ['plain', 'say "hi"', 'back\\slash', 'line\nbreak', 'zoë-🎧', ...Array.from({ length: 20 }, (_, i) => `listener-${i}`)];
const byToken = new Map(RAW.map((u) => [pseudonymToken(key, u), u]));
const TEXTS = ['x', 'a "quoted" title', 'ünï', 'tab\there', '', 'u_0123', '{"user_id":"not a key"}'];
const NUMBERS = ['1.0', '1e5', '-2.50', '0.30000000000000004', '12'];

/** A JSON string written with escapes for every character (valid, and not its plain text). */
function escaped(s: string): string {
  return `"${Array.from(s, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
}

function randomLine(rng: () => number, user: string): string {
  const rnd = (n: number): number => Math.floor(rng() * n);
  const sp = (): string => [' ', '', '\t', '  '][rnd(4)];
  const token = pseudonymToken(key, user);
  const idText = [JSON.stringify(token), JSON.stringify(token), JSON.stringify(token), escaped(token), '17', 'null', JSON.stringify('u_unknown')][rnd(7)];
  const fields = [
    `"week"${sp()}:${sp()}"2026-W48"`,
    `"position"${sp()}:${sp()}${NUMBERS[rnd(NUMBERS.length)]}`,
    `"reason"${sp()}:${sp()}${JSON.stringify(TEXTS[rnd(TEXTS.length)])}`,
  ];
  if (rnd(4) === 0) fields.push(`"seed"${sp()}:${sp()}{"user_id":${JSON.stringify(rnd(2) ? token : 'other')},"n":[1,2.50]}`);
  if (rnd(6) === 0) fields.push(`"also"${sp()}:${sp()}${JSON.stringify(token)}`);
  const keyText = rnd(8) === 0 ? escaped('user_id') : '"user_id"';
  fields.splice(rnd(fields.length + 1), 0, `${keyText}${sp()}:${sp()}${idText}`);
  return `${sp()}{${sp()}${fields.join(`${sp()},${sp()}`)}${sp()}}${sp()}`;
}

function randomText(lines: number, seed: number): string {
  const rng = mulberry32(seed);
  const out: string[] = [];
  let user = RAW[0];
  for (let i = 0; i < lines; i++) {
    if (rng() < 0.3) user = RAW[Math.floor(rng() * RAW.length)];
    out.push(randomLine(rng, user));
    if (rng() < 0.05) out.push(rng() < 0.5 ? '' : '  ');
  }
  return out.map((l, i) => l + (i % 5 === 0 ? '\r\n' : '\n')).join('');
}

/** The oracle: each non-blank line parsed, its id mapped back when it is a known token. */
function expectedRows(input: string): { rows: unknown[]; revealed: number } {
  let revealed = 0;
  const rows = input
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const row = JSON.parse(l) as Record<string, unknown>;
      const raw = typeof row.user_id === 'string' ? byToken.get(row.user_id) : undefined;
      if (raw !== undefined) {
        row.user_id = raw;
        revealed++;
      }
      return row;
    });
  return { rows, revealed };
}

async function reveal(input: string, name = 'in.jsonl', out = 'out.jsonl'): Promise<{ text: string; summary: Awaited<ReturnType<typeof revealFile>> }> {
  const file = path.join(dir, name);
  writeFileSync(file, name.endsWith('.gz') ? gzipSync(input) : input);
  const target = path.join(dir, out);
  const summary = await revealFile({ input: file, out: target, rawIds: RAW, key });
  const bytes = readFileSync(target);
  return { text: (out.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'), summary };
}

describe('reveal of JSON Lines', () => {
  it('gives every line the oracle row, and keeps the text of lines without escapes', async () => {
    for (const seed of [1, 2, 3]) {
      const input = randomText(400, seed);
      const { text, summary } = await reveal(input);
      const want = expectedRows(input);
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l))).toEqual(want.rows);
      expect(summary).toEqual({ rows: want.rows.length, revealed: want.revealed, unknown: want.rows.length - want.revealed });
      // Lines without a backslash whose token appears once: the input text, the id's string swapped.
      const inputs = input.split(/\r?\n/).filter((l) => l.trim() !== '');
      let verbatim = 0;
      inputs.forEach((l, i) => {
        const row = JSON.parse(l) as Record<string, unknown>;
        const raw = typeof row.user_id === 'string' ? byToken.get(row.user_id) : undefined;
        if (raw === undefined) {
          expect(lines[i]).toBe(l);
          verbatim++;
        } else if (!l.includes('\\') && l.split(JSON.stringify(row.user_id)).length === 2) {
          expect(lines[i]).toBe(l.replace(JSON.stringify(row.user_id), JSON.stringify(raw)));
          verbatim++;
        }
      });
      expect(verbatim).toBeGreaterThan(inputs.length / 2);
    }
  });

  it('reads gzip, writes .gz, and takes lines longer than a read buffer and a last line without LF', async () => {
    const long = JSON.stringify({ user_id: pseudonymToken(key, 'plain'), reason: 'é'.repeat(1_500_000) });
    const input = `${long}\n${randomText(50, 9)}${long}`;
    const { text, summary } = await reveal(input, 'in.jsonl.gz', 'out.jsonl.gz');
    expect(text.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(expectedRows(input).rows);
    expect(summary.rows).toBe(expectedRows(input).rows.length);
  });

  it('names the line that is not a JSON object, or lacks the field, and writes nothing', async () => {
    const good = JSON.stringify({ user_id: pseudonymToken(key, 'plain') });
    for (const [bad, message] of [
      ['{"user_id": "u_1",', 'not a JSON object'],
      ['[1, 2]', 'not a JSON object'],
      ['{"id": "u_1"}', "no field 'user_id'"],
    ] as const) {
      const file = path.join(dir, 'bad.jsonl');
      writeFileSync(file, `${good}\r\n\n${bad}\n${good}\n`);
      const out = path.join(dir, 'bad-out.jsonl');
      await expect(revealFile({ input: file, out, rawIds: RAW, key })).rejects.toThrow(`${file}:3: ${message}`);
      expect(existsSync(out)).toBe(false);
    }
  });
});
