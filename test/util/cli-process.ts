/** Running the built CLI in a child process, as an operator would: to completion, or killed mid-run. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const mixtapeBin = path.resolve(import.meta.dirname, '../../dist/src/cli/main.js');

export function runCli(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [mixtapeBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: '1', ...env } });
}

/** How a run that was sent a signal ended. */
export interface SignalledRun {
  /** Whether the signal was sent before the run ended by itself. */
  sent: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Start a run and send it `signal` `ms` milliseconds after `ready()` first holds (polled every
 * 10 ms), or `ms` after the start when there is no condition.
 */
export function signalCliAfter(cwd: string, args: string[], signal: NodeJS.Signals, ms: number, ready?: () => Promise<boolean>): Promise<SignalledRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mixtapeBin, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let sent = false;
    const send = (): void => {
      sent = child.exitCode === null && child.signalCode === null && child.kill(signal);
    };
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    if (ready) {
      poll = setInterval(async () => {
        if (await ready()) {
          clearInterval(poll);
          timer = setTimeout(send, ms);
        }
      }, 10);
    } else timer = setTimeout(send, ms);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ sent, code, signal: sig, stderr });
    });
  });
}

/** SIGKILL a run as signalCliAfter does; resolves with whether it was killed (and did not succeed). */
export async function killCliAfter(cwd: string, args: string[], ms: number, ready?: () => Promise<boolean>): Promise<boolean> {
  const r = await signalCliAfter(cwd, args, 'SIGKILL', ms, ready);
  return r.sent && r.code !== 0;
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

/** Start a run in the background; `done` resolves when it ends, however it ends. */
export function startCli(cwd: string, args: string[]): { pid: number; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [mixtapeBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return { pid: child.pid!, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}
