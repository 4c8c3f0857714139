import { describe, expect, it } from 'vitest';
import { parseNumberBytes } from '../../src/data/parse-number.js';
import { TextTimestampParser, detectEpochUnit, parseIsoBytes } from '../../src/data/timestamps.js';

const enc = new TextEncoder();
const num = (s: string): number => {
  const b = enc.encode(`#${s}#`);
  return parseNumberBytes(b, 1, b.length - 1);
};
const iso = (s: string): number => {
  const b = enc.encode(s);
  return parseIsoBytes(b, 0, b.length);
};

describe('parseNumberBytes', () => {
  it('parses decimals exactly like Number()', () => {
    for (const s of ['0', '-0', '42', '+7', '3.25', '-0.001', '1e3', '2.5E-4', '123456789012345678', '0.1', '1685620800123', '9007199254740993', '.5', '5.']) {
      expect(num(s)).toBe(Number(s));
    }
    expect(num(' 12 ')).toBe(12);
  });
  it('gives NaN for anything else', () => {
    for (const s of ['', ' ', 'abc', '1,5', '1e', '--1', '0x10', 'NaN', 'Infinity', '1 2', '.', '-']) expect(num(s)).toBeNaN();
  });
});

describe('timestamps', () => {
  it('parses ISO-8601 dates, times, fractions and offsets', () => {
    expect(iso('2023-06-01')).toBe(Date.UTC(2023, 5, 1));
    expect(iso('2023-06-01T12:34')).toBe(Date.UTC(2023, 5, 1, 12, 34));
    expect(iso('2023-06-01T12:34:56.789Z')).toBe(Date.UTC(2023, 5, 1, 12, 34, 56, 789));
    expect(iso('2023-06-01 12:34:56+02:00')).toBe(Date.UTC(2023, 5, 1, 10, 34, 56));
    expect(iso('2023-06-01T12:34:56-0130')).toBe(Date.UTC(2023, 5, 1, 14, 4, 56));
    expect(iso('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(iso('1969-12-31T23:59:59Z')).toBe(-1000);
    for (const bad of ['2023-02-29', '2023-13-01', '2023-06-01T25:00', '2023-06-01X', '2023/06/01', '20230601', '2023-06-01T12:34:56Zjunk']) {
      expect(iso(bad)).toBeNaN();
    }
  });
  it('detects the epoch unit by magnitude and keeps it for the file', () => {
    expect(detectEpochUnit(1685620800)).toBe('epoch_s');
    expect(detectEpochUnit(1685620800000)).toBe('epoch_ms');
    expect(detectEpochUnit(1685620800000000)).toBe('epoch_us');
    expect(detectEpochUnit(1685620800000000000)).toBe('epoch_ns');
    const p = new TextTimestampParser();
    const b = enc.encode('1685620800123456');
    expect(p.parse(b, 0, b.length)).toBe(1685620800123.456);
    expect(p.format).toBe('epoch_us');
    const d = enc.encode('2023-06-01');
    expect(p.parse(d, 0, d.length)).toBeNaN();
  });
});
