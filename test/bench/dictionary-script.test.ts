import { describe, expect, it } from 'vitest';
import { benchJson } from './run-script.js';

describe('bench/dictionary.ts (smoke)', () => {
  it('interns, builds from UTF-8 and looks ids up past the split, and prints the figures', () => {
    const args = ['--ids', '50000', '--lookups', '20000', '--rounds', '2'];
    const out = benchJson('dictionary', args);
    expect(out).toMatchObject({ ids: 50000, lookups: 20000, rounds: 2 });
    for (const key of ['intern_seconds', 'map_set_seconds', 'from_seconds', 'from_utf8_in_turns_seconds', 'get_ns', 'map_get_ns', 'get_vs_map']) expect(out[key], key).toBeGreaterThan(0);
    expect(out.copy_of_seconds).toBeGreaterThanOrEqual(0);
    expect(out.longest_intern_ms).toBeGreaterThanOrEqual(0);
    expect(out.from_utf8_in_turns_stall_ms).toBeGreaterThanOrEqual(0);
  });
});
