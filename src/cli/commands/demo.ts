import type { Command } from 'commander';
import { runDemo } from '../../demo/demo.js';
import { int } from '../options.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a synthetic listening world, train, run the weekly job and show playlists next to planted tastes (no input needed)')
    .option('--users <n>', 'users', int(1), 5000)
    .option('--tracks <n>', 'tracks', int(1), 20000)
    .option('--weeks <n>', 'weeks', int(2), 8)
    .option('--seed <s>', 'seed', int(0), 42)
    .option('--threads <n>', 'worker threads', int(1))
    .option('--show <n>', 'users whose playlists are printed', int(0), 3)
    .option('--out <file>', "write every user's playlist (.csv, .jsonl or .parquet), as mixtape weekly does")
    .option('--json', 'print the figures as JSON at the end')
    .action(async (f: { users: number; tracks: number; weeks: number; seed: number; threads?: number; show: number; out?: string; json?: boolean }) => {
      const r = await runDemo({ users: f.users, tracks: f.tracks, weeks: f.weeks, seed: f.seed, threads: f.threads, show: f.show, out: f.out });
      if (f.json) process.stdout.write(JSON.stringify(r) + '\n');
      else process.stdout.write(`done in ${r.seconds.total.toFixed(1)} s\n`);
    });
}
