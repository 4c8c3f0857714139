import type { Command } from 'commander';
import { generateWorld, writeWorld } from '../../generate/index.js';
import { int, num } from '../options.js';

interface GenerateFlags {
  users: number;
  tracks: number;
  weeks: number;
  seed: number;
  out: string;
  bots?: number;
  farms?: number;
  drift?: number;
  corruptRows?: number;
  json?: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write a seeded synthetic listening world: events.csv, catalog.csv and truth.json (planted tastes, bots)')
    .option('--users <n>', 'genuine users', int(1), 5000)
    .option('--tracks <n>', 'tracks in the catalog', int(1), 20000)
    .option('--weeks <n>', 'simulated weeks', int(1), 8)
    .option('--seed <s>', 'random seed', int(0), 42)
    .option('--bots <share>', 'bot accounts as a share of users (0–1)', num(0))
    .option('--farms <n>', 'bot farms', int(1))
    .option('--drift <d>', 'taste drift strength (0–1)', num(0))
    .option('--corrupt-rows <n>', 'corrupt rows to inject (every kind)', int(0))
    .requiredOption('--out <dir>', 'output directory')
    .option('--json', 'print a JSON summary')
    .action(async (f: GenerateFlags) => {
      const started = performance.now();
      const world = generateWorld({
        users: f.users,
        tracks: f.tracks,
        weeks: f.weeks,
        seed: f.seed,
        ...(f.drift !== undefined ? { drift: f.drift } : {}),
        ...(f.corruptRows !== undefined ? { corruptRows: f.corruptRows } : {}),
        ...(f.bots !== undefined ? { bots: { share: f.bots, ...(f.farms ? { farms: f.farms } : {}) } } : {}),
      });
      await writeWorld(world, f.out);
      const summary = { events: world.events.length, users: world.events.users.size, tracks: world.events.tracks.size, seconds: (performance.now() - started) / 1000, out: f.out };
      if (f.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else process.stderr.write(`generated ${summary.events} events for ${summary.users} accounts over ${f.weeks} week${f.weeks === 1 ? '' : 's'} in ${summary.seconds.toFixed(1)} s → ${f.out}\n`);
    });
}
