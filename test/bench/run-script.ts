/** Runs a script of bench/ the way its header documents (`npx tsx bench/NAME.ts …`), for smoke tests. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `bench/<name>.ts` with `args`, from the package root. */
export function runBenchScript(name: string, args: readonly string[], timeoutMs = 120_000): ScriptRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.ts`), ...args], { cwd: root, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** runBenchScript, expecting exit status 0 (else failing with its stderr), and its stdout parsed as JSON (untyped, as JSON.parse). */
export function benchJson<T = any>(name: string, args: readonly string[], timeoutMs?: number): T {
  const r = runBenchScript(name, args, timeoutMs);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}
