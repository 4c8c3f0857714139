/**
 * reveal speed: writes a pseudonymized weekly output (`--per-user` rows a listener, the job's
 * columns, a reason with quotes now and then) as CSV and as JSON Lines, then maps its tokens back
 * with revealFile several times, the formats in turn; prints JSON with the median and every run's
 * seconds, rows per second and the peak RSS.
 *
 *   tsx bench/reveal.ts [--users 100000] [--per-user 30] [--runs 3]
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarize } from '../src/bench/stats.js';
import { pseudonymToken, revealFile } from '../src/privacy/index.js';
import { peakRssMb } from '../src/util/peak-rss.js';
import { BenchFlags, valueFlags } from './args.js';

const flags = BenchFlags.parse(valueFlags('users', 'per-user', 'runs'));
const users = flags.int('users', 100_000);
const perUser = flags.int('per-user', 30);
const runs = flags.int('runs', 3);

const key = new TextEncoder().encode('bench-reveal-key-5f0c2a9e');
const rawIds = Array.from({ length: users }, (_, u) => `listener-${u}`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'mixtape-bench-reveal-'));

interface Row {
  user: string;
  position: number;
  track: string;
  artist: string;
  score: number;
  reason: string;
}

/** Writes the output a few thousand rows at a time (a whole file as one string is too long). */
function writeOutput(file: string, header: string | undefined, line: (r: Row) => string): void {
  const fd = openSync(file, 'w');
  let text = header ? `${header}\n` : '';
  for (let u = 0; u < users; u++) {
    const user = pseudonymToken(key, rawIds[u]);
    for (let p = 1; p <= perUser; p++) {
      const t = (u * 7919 + p * 104729) % 200_000;
      const reason = t % 5 === 0 ? `because you played "Track ${t % 977}"` : `because you played track-${t % 977} and track-${t % 613}`;
      text += line({ user, position: p, track: `track-${t}`, artist: `artist-${t % 20_000}`, score: Math.fround(1 / (p + (u % 7))), reason }) + '\n';
    }
    if (text.length > 1 << 22) {
      writeSync(fd, text);
      text = '';
    }
  }
  writeSync(fd, text);
  closeSync(fd);
}

const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const inputs = {
  csv: path.join(dir, 'week.csv'),
  jsonl: path.join(dir, 'week.jsonl'),
};
writeOutput(inputs.csv, 'user_id,week,position,track_id,artist_id,score,reason', (r) =>
  [r.user, '2026-W48', r.position, r.track, r.artist, r.score, csvField(r.reason)].join(','),
);
writeOutput(inputs.jsonl, undefined, (r) =>
  JSON.stringify({ user_id: r.user, week: '2026-W48', position: r.position, track_id: r.track, artist_id: r.artist, score: r.score, reason: r.reason }),
);

const seconds: Record<keyof typeof inputs, number[]> = { csv: [], jsonl: [] };
try {
  for (let run = 0; run < runs; run++) {
    for (const format of Object.keys(inputs) as (keyof typeof inputs)[]) {
      const out = path.join(dir, `revealed.${format}`);
      const t0 = performance.now();
      const summary = await revealFile({ input: inputs[format], out, rawIds, key });
      seconds[format].push((performance.now() - t0) / 1000);
      if (summary.revealed !== users * perUser) throw new Error(`${format}: revealed ${summary.revealed} of ${users * perUser} rows`);
      rmSync(out);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows = users * perUser;
const formats = Object.fromEntries(
  Object.entries(seconds).map(([format, all]) => {
    const median = summarize(all).median;
    return [format, { seconds: median, all_seconds: all, rows_per_second: Math.round(rows / median) }];
  }),
);
process.stdout.write(JSON.stringify({ users, rows, runs, formats, peak_rss_mb: peakRssMb() }, null, 2) + '\n');
