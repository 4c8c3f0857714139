import { describe, expect, it } from 'vitest';
import { BenchFlags } from '../../bench/args.js';

const kinds = { runs: 'value', users: 'value', file: 'values', mode: 'value', 'skip-job': 'switch' } as const;
const parse = (...argv: string[]) => BenchFlags.parse(kinds, argv);

describe('BenchFlags (the bench scripts’ flags)', () => {
  it('reads integers, lists, repeated values, choices and switches, with defaults when absent', () => {
    const f = parse('--runs', '3', '--users', '1,8,64', '--file', 'a.csv', '--file', 'b.csv', '--mode', 'warm', '--skip-job');
    expect(f.int('runs', 5)).toBe(3);
    expect(f.ints('users', [1])).toEqual([1, 8, 64]);
    expect(f.texts('file')).toEqual(['a.csv', 'b.csv']);
    expect(f.choice('mode', ['cold', 'warm'] as const, 'cold')).toBe('warm');
    expect(f.on('skip-job')).toBe(true);
    const none = parse();
    expect(none.int('runs', 5)).toBe(5);
    expect(none.ints('users', [1, 2])).toEqual([1, 2]);
    expect(none.texts('file')).toEqual([]);
    expect(none.text('mode')).toBeUndefined();
    expect(none.text('mode', 'all')).toBe('all');
    expect(none.on('skip-job')).toBe(false);
  });

  it('stops on an unknown or misspelt flag, a missing value or a stray argument', () => {
    expect(() => parse('--rnus', '3')).toThrow(/Unknown option '--rnus'/);
    expect(() => parse('--runs')).toThrow(/--runs.*argument missing/);
    expect(() => parse('extra')).toThrow(/Unexpected argument 'extra'/);
  });

  it('names the flag and the value it rejects', () => {
    expect(() => parse('--runs', '0').int('runs', 5)).toThrow("--runs must be an integer ≥ 1, got '0'");
    expect(() => parse('--runs', '2.5').int('runs', 5)).toThrow("--runs must be an integer ≥ 1, got '2.5'");
    expect(() => parse('--runs', ' ').int('runs', 5, 0)).toThrow("--runs must be an integer ≥ 0, got ' '");
    expect(parse('--runs', '0').int('runs', 5, 0)).toBe(0);
    expect(() => parse('--users', '1,,8').ints('users', [1])).toThrow("--users must be a comma-separated list of integers ≥ 1, got '1,,8'");
    expect(() => parse('--mode', 'hot').choice('mode', ['cold', 'warm'] as const, 'cold')).toThrow("--mode must be one of cold, warm, got 'hot'");
    expect(() => parse('--mode', 'cold,hot').choices('mode', ['cold', 'warm'] as const, ['cold'])).toThrow("--mode takes cold, warm (comma-separated), got 'hot'");
    expect(parse('--mode', 'warm,cold').choices('mode', ['cold', 'warm'] as const, ['cold'])).toEqual(['warm', 'cold']);
    const drift = (v: string) => parse('--runs', v).number('runs', 0.3, 'in [0, 1]', (x) => x >= 0 && x <= 1);
    expect(drift('0.5')).toBe(0.5);
    expect(() => drift('1.5')).toThrow("--runs must be in [0, 1], got '1.5'");
    expect(() => drift('NaN')).toThrow("--runs must be in [0, 1], got 'NaN'");
  });

  it('treats reading an undeclared flag, or a flag as another kind, as a bug in the script', () => {
    expect(() => parse().int('seed', 7)).toThrow('--seed is read as a value but declared as nothing');
    expect(() => parse().on('runs')).toThrow('--runs is read as a switch but declared as value');
    expect(() => parse().text('file')).toThrow('--file is read as a value but declared as values');
  });
});
