import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('bench/model-io.ts (smoke)', () => {
  it('saves and loads a model several times and prints the seconds and the size', () => {
    const args = ['--users', '2000', '--items', '500', '--nnz', '20000', '--factors', '8', '--runs', '2'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'model-io.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ users: 2000, items: 500, nnz: 20000, factors: 8 });
    expect(out.all_save_seconds).toHaveLength(2);
    expect(out.all_load_seconds).toHaveLength(2);
    expect(out.save_seconds).toBeGreaterThan(0);
    expect(out.save_stall_seconds).toBeGreaterThanOrEqual(0);
    expect(out.load_seconds).toBeGreaterThan(0);
    expect(out.all_load_on_caller_seconds).toHaveLength(2);
    expect(out.load_stall_seconds).toBeGreaterThanOrEqual(0);
    expect(out.load_on_caller_stall_seconds).toBeGreaterThan(0);
    // At least the factors' bytes: 2,500 rows × 8 float32.
    expect(out.model_bytes).toBeGreaterThan(2500 * 8 * 4);
    expect(out.peak_rss_mb).toBeGreaterThan(0);
  });
});
