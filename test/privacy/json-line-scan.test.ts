/**
 * The JSON Lines scanner against JSON.parse: random JSON values of every kind (nested, escaped,
 * numbers in every form, any spacing) and random corruptions of them. The scan may give up on a
 * line JSON.parse takes, never the other way round, and where it takes a line the span holds the
 * key's value as JSON.parse reads it (the last of a repeated key).
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../reference/random.js';
import { JsonLineScanner, type ValueSpan } from '../../src/privacy/json-line-scan.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const KEY = 'user_id';

function randomValue(rnd: (n: number) => number, depth: number): string {
  const sp = (): string => [' ', '', '\t', '', '\r\n '][rnd(5)];
  switch (rnd(depth > 3 ? 5 : 7)) {
    case 0:
      return ['true', 'false', 'null'][rnd(3)];
    case 1:
      return ['0', '-0', '12', '-3.25', '1e5', '2E-3', '0.5e+2', '123456789012345678901234567890'][rnd(8)];
    case 2:
    case 3:
      return ['"x"', '""', '"é 🎧"', '"a\\"b"', '"\\\\"', '"\\u00e9\\n\\t\\/"', '"u_0123abc"', '"\\ud83c\\udfa7"'][rnd(8)];
    case 4:
      return JSON.stringify(String.fromCharCode(...Array.from({ length: rnd(6) }, () => 32 + rnd(95))));
    case 5:
      return `[${sp()}${Array.from({ length: rnd(4) }, () => randomValue(rnd, depth + 1)).join(`${sp()},${sp()}`)}${sp()}]`;
    default:
      return randomObject(rnd, depth + 1);
  }
}

function randomObject(rnd: (n: number) => number, depth: number): string {
  const sp = (): string => [' ', '', '\t', ''][rnd(4)];
  const keys = ['user_id', 'week', 'score', 'a"b', 'user', 'user_idx', 'é'];
  const members = Array.from({ length: rnd(5) }, () => `${JSON.stringify(keys[rnd(keys.length)])}${sp()}:${sp()}${randomValue(rnd, depth)}`);
  return `${sp()}{${sp()}${members.join(`${sp()},${sp()}`)}${sp()}}${sp()}`;
}

/** A random edit of a line: a byte dropped, doubled or replaced by one of JSON's own. */
function corrupt(line: string, rnd: (n: number) => number): string {
  if (line.length === 0) return '{';
  const at = rnd(line.length);
  const c = '{}[]":,\\-.0e tfn"'[rnd(17)];
  switch (rnd(3)) {
    case 0:
      return line.slice(0, at) + line.slice(at + 1);
    case 1:
      return line.slice(0, at) + c + line.slice(at);
    default:
      return line.slice(0, at) + c + line.slice(at + 1);
  }
}

/** JSON.parse's verdict: the object, or undefined when the line is not one JSON object. */
function parsedObject(line: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(line) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function check(scanner: JsonLineScanner, line: string): 'taken' | 'given up' | 'refused' {
  const bytes = enc.encode(line);
  const span: ValueSpan = { start: -1, end: -1 };
  const took = scanner.scan(bytes, span);
  // The line as reveal sees it: its bytes decoded (a lone surrogate of a cut pair becomes U+FFFD).
  const object = parsedObject(dec.decode(bytes));
  if (!took) return object === undefined ? 'refused' : 'given up';
  expect(object, `scan took what JSON.parse refuses: ${line}`).toBeDefined();
  if (!(KEY in object!)) expect(span.start, line).toBe(-1);
  else {
    expect(span.start, line).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(dec.decode(bytes.subarray(span.start, span.end))), line).toEqual(object![KEY]);
  }
  return 'taken';
}

describe('JsonLineScanner', () => {
  it('takes random JSON objects as JSON.parse reads them, and finds the key s value', () => {
    const rnd = ((r) => (n: number) => Math.floor(r() * n))(mulberry32(7));
    const scanner = new JsonLineScanner(enc.encode(KEY));
    const seen = { taken: 0, 'given up': 0, refused: 0 };
    for (let i = 0; i < 4000; i++) seen[check(scanner, randomObject(rnd, 0))]++;
    // Only keys written with escapes ("a\"b") make it give up.
    expect(seen.refused).toBe(0);
    expect(seen.taken).toBeGreaterThan(2000);
  });

  it('never takes a corrupted line JSON.parse refuses', () => {
    const rnd = ((r) => (n: number) => Math.floor(r() * n))(mulberry32(11));
    const scanner = new JsonLineScanner(enc.encode(KEY));
    const seen = { taken: 0, 'given up': 0, refused: 0 };
    for (let i = 0; i < 8000; i++) {
      let line = randomObject(rnd, 0);
      for (let k = 1 + rnd(3); k > 0; k--) line = corrupt(line, rnd);
      seen[check(scanner, line)]++;
    }
    expect(seen.refused).toBeGreaterThan(2000);
    expect(seen.taken).toBeGreaterThan(500);
  });

  it('handles the edges: empty object, repeated key, other top-level values, bad numbers and escapes, trailing text, deep nesting', () => {
    const scanner = new JsonLineScanner(enc.encode(KEY));
    const cases: [string, 'taken' | 'given up' | 'refused'][] = [
      ['{}', 'taken'],
      [' \t{ } ', 'taken'],
      ['{"user_id":"a","user_id":"b"}', 'taken'],
      ['{"u\\u0073er_id":"a"}', 'given up'],
      ['[]', 'refused'],
      ['"user_id"', 'refused'],
      ['null', 'refused'],
      ['', 'refused'],
      ['{"user_id":01}', 'refused'],
      ['{"user_id":1.}', 'refused'],
      ['{"user_id":.5}', 'refused'],
      ['{"user_id":-}', 'refused'],
      ['{"user_id":1e}', 'refused'],
      ['{"user_id":"\\x"}', 'refused'],
      ['{"user_id":"\\u12g4"}', 'refused'],
      ['{"user_id":"tab\there"}', 'refused'],
      ['{"user_id":"a"} x', 'refused'],
      ['{"user_id":"a"}{}', 'refused'],
      ['{"user_id":"a",}', 'refused'],
      ['{"user_id" "a"}', 'refused'],
      ['{"user_id":tru}', 'refused'],
      ['{"user_id":[1,]}', 'refused'],
      ['{"user_id":[,1]}', 'refused'],
      ['{,"user_id":1}', 'refused'],
      ['{"user_id":{"a"}}', 'refused'],
      ['{"user_id":{"a":1,}}', 'refused'],
      ['{"a":[,}', 'refused'],
      ['{"user_id":"a"', 'refused'],
      [`{"user_id":${'['.repeat(300)}${']'.repeat(300)}}`, 'given up'],
      [`{"user_id":${'['.repeat(200)}${']'.repeat(200)}}`, 'taken'],
    ];
    for (const [line, verdict] of cases) expect(check(scanner, line), line).toBe(verdict);
  });
});
