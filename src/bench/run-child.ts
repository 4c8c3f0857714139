/**
 * Runs a case in a child process (so its peak RSS is its own and one case's heap cannot slow the
 * next). From compiled code the child is child.js; from TypeScript sources it is child.ts under
 * tsx, so a source checkout always benchmarks its current code.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './report.js';
import type { InProcessSpec } from './run-case.js';

function childCommand(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  return { file: path.join(path.dirname(here), fromSource ? 'child.ts' : 'child.js'), execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

export function runCaseInChild(spec: InProcessSpec): Promise<CaseResult> {
  const { file, execArgv } = childCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...execArgv, file, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as CaseResult);
      } else {
        const tail = err.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`case '${spec.name}' failed in its child process (${signal ?? `exit ${code}`}): ${tail}`));
      }
    });
  });
}
