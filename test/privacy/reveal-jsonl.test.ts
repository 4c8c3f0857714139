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

/** A random line, and what reveal should make of it when its key is written plainly (else undefined). */
function randomLine(rng: () => number, user: string): { line: string; want?: string } {
  const rnd = (n: number): number => Math.floor(rng() * n);
  const sp = (): string => [' ', '', '\t', '  '][rnd(4)];
  const token = pseudonymToken(key, user);
  const idText = [JSON.stringify(token), JSON.stringify(token), JSON.stringify(token), escaped(token), '17', 'null', JSON.stringify('u_unknown')][rnd(7)];
  const fields = [
    `"week"${sp()}:${sp()}"2026-W48"`,
    `"position"${sp()}:${sp()}${NUMBERS[rnd(NUMBERS.length)]}`,
    `"reason"${sp()}:${sp()}${JSON.stringify(TEXTS[rnd(TEXTS.length)])}`,
  ];
  if (rnd(4) === 0) fields.push(`"seed"${sp()}:${sp()}{"user_id":${JSON.stringify(rnd(2) ? token : 'other')},"n":[1,2.50,{"a":[]}]}`);
  if (rnd(6) === 0) fields.push(`"also"${sp()}:${sp()}${JSON.stringify(token)}`);
  const plainKey = rnd(8) !== 0;
  const keyText = plainKey ? '"user_id"' : escaped('user_id');
  fields.splice(rnd(fields.length + 1), 0, `${keyText}${sp()}:${sp()}\u0000`);
  // Spacing drawn once, so the line and its expected form differ only in the id.
  const shape = `${sp()}{${sp()}${fields.join(`${sp()},${sp()}`)}${sp()}}${sp()}`;
  const raw = idText.startsWith('"') ? byToken.get(JSON.parse(idText) as string) : undefined;
  const line = shape.replace('\u0000', idText);
  return { line, want: plainKey ? shape.replace('\u0000', raw === undefined ? idText : JSON.stringify(raw)) : undefined };
}

function randomText(lines: number, seed: number): { text: string; want: (string | undefined)[] } {
  const rng = mulberry32(seed);
  const out: string[] = [];
  const want: (string | undefined)[] = [];
  let user = RAW[0];
  for (let i = 0; i < lines; i++) {
    if (rng() < 0.3) user = RAW[Math.floor(rng() * RAW.length)];
    const l = randomLine(rng, user);
    out.push(l.line);
    want.push(l.want);
    if (rng() < 0.05) out.push(rng() < 0.5 ? '' : '  ');
  }
  return { text: out.map((l, i) => l + (i % 5 === 0 ? '\r\n' : '\n')).join(''), want };
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
  it('gives every line the oracle row, and keeps its text but for the id where the key is written plainly', async () => {
    for (const seed of [1, 2, 3]) {
      const { text: input, want: wantText } = randomText(400, seed);
      const { text, summary } = await reveal(input);
      const want = expectedRows(input);
      const lines = text.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l))).toEqual(want.rows);
      expect(summary).toEqual({ rows: want.rows.length, revealed: want.revealed, unknown: want.rows.length - want.revealed });
      expect(lines.length).toBe(wantText.length);
      lines.forEach((l, i) => {
        if (wantText[i] !== undefined) expect(l).toBe(wantText[i]);
      });
      expect(wantText.filter((w) => w !== undefined).length).toBeGreaterThan(lines.length / 2);
    }
  });

  it('reads gzip, writes .gz, and takes lines longer than a read buffer and a last line without LF', async () => {
    const long = JSON.stringify({ user_id: pseudonymToken(key, 'plain'), reason: 'é'.repeat(1_500_000) });
    const input = `${long}\n${randomText(50, 9).text}${long}`;
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
