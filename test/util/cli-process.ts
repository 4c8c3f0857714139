/** Running the built CLI in a child process, as an operator would: to completion, or killed mid-run. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const mixtapeBin = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');

export function runCli(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [mixtapeBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', ...env } });
}

/**
 * Start a run and SIGKILL it `ms` milliseconds after `ready()` first holds (polled every 10 ms),
 * or `ms` after the start when there is no condition. Resolves with whether it was killed.
 */
export function killCliAfter(cwd: string, args: string[], ms: number, ready?: () => Promise<boolean>): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mixtapeBin, ...args], { cwd, stdio: 'ignore', env: { ...process.env, CI: '1' } });
    let killed = false;
    const kill = (): void => {
      killed = child.kill('SIGKILL');
    };
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    if (ready) {
      poll = setInterval(async () => {
        if (await ready()) {
          clearInterval(poll);
          timer = setTimeout(kill, ms);
        }
      }, 10);
    } else timer = setTimeout(kill, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve(killed && code !== 0);
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `mixtape(...args)` runner in the directory `cwd()` returns (set up later, e.g. in beforeAll). */
export function cliIn(cwd: () => string): (...args: string[]) => CliResult {
  return (...args) => {
    const r = runCli(cwd(), args);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}
