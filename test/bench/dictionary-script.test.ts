import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('bench/dictionary.ts (smoke)', () => {
  it('interns, builds from UTF-8 and looks ids up past the split, and prints the figures', () => {
    const args = ['--ids', '50000', '--lookups', '20000', '--rounds', '2'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'dictionary.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ids: 50000, lookups: 20000, rounds: 2 });
    for (const key of ['intern_seconds', 'map_set_seconds', 'from_utf8_in_turns_seconds', 'get_ns', 'map_get_ns', 'get_vs_map']) expect(out[key], key).toBeGreaterThan(0);
    expect(out.longest_intern_ms).toBeGreaterThanOrEqual(0);
    expect(out.from_utf8_in_turns_stall_ms).toBeGreaterThanOrEqual(0);
  });
});
