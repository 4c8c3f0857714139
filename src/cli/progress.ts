import cliProgress from 'cli-progress';
import type { OnReadProgress } from '../data/read-progress.js';
import type { SignalsProgress } from '../signals/index.js';

/**
 * Progress of long work on stderr. On a terminal, a bar (rate and ETA). Otherwise (a log file,
 * a pipe, CI), a plain line at most every MIXTAPE_PROGRESS_INTERVAL seconds (default 30; 0 turns
 * them off), so a batch job's log shows that a long read or training is moving while short runs
 * stay silent.
 */
export interface Progress {
  update(value: number, payload?: { detail?: string }): void;
  stop(): void;
}

const DEFAULT_LINE_INTERVAL_S = 30;

export function createProgress(label: string, total: number, unit: string): Progress {
  if (process.stderr.isTTY && !process.env.CI) return progressBar(label, total, unit);
  const every = lineInterval();
  return every > 0 ? progressLines(label, total, unit, every) : { update: () => undefined, stop: () => undefined };
}

/** Seconds between progress lines off a terminal, from MIXTAPE_PROGRESS_INTERVAL. */
function lineInterval(): number {
  const text = process.env.MIXTAPE_PROGRESS_INTERVAL;
  if (text === undefined || text === '') return DEFAULT_LINE_INTERVAL_S;
  const v = Number(text);
  if (!(Number.isFinite(v) && v >= 0)) throw new Error(`MIXTAPE_PROGRESS_INTERVAL must be a number of seconds ≥ 0 (0 turns progress lines off), got '${text}'`);
  return v;
}

function progressBar(label: string, total: number, unit: string): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted} {detail}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(total, 0, { rate: '0', detail: '' });
  return {
    update(value, payload) {
      const secs = (performance.now() - started) / 1000;
      bar.update(value, { rate: secs > 0 ? (value / secs).toFixed(1) : '0', detail: payload?.detail ?? '' });
    },
    stop() {
      bar.stop();
    },
  };
}

/** A line per `every` seconds of work, written from update() itself (no timer keeps the process alive). */
function progressLines(label: string, total: number, unit: string, every: number): Progress {
  const started = performance.now();
  let last = started;
  return {
    update(value, payload) {
      const now = performance.now();
      if (now - last < every * 1000) return;
      last = now;
      const secs = (now - started) / 1000;
      const rate = value / secs;
      const share = total > 0 ? ` (${Math.floor((100 * value) / total)}%)` : '';
      const eta = rate > 0 && value < total ? `, ETA ${formatSeconds((total - value) / rate)}` : '';
      const detail = payload?.detail ? `; ${payload.detail}` : '';
      process.stderr.write(`${label}: ${value.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit}${share}, ${rate.toFixed(1)} ${unit}/s, ${formatSeconds(secs)} elapsed${eta}${detail}\n`);
    },
    stop: () => undefined,
  };
}

/** 75 → "1 min 15 s", 3700 → "1 h 2 min". */
export function formatSeconds(s: number): string {
  const t = Math.round(s);
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min ${t % 60} s`;
  return `${Math.floor(t / 3600)} h ${Math.floor((t % 3600) / 60)} min`;
}

/**
 * A bar for reading an input, in MB of the file(s) or in rows (Parquet), made on the first report
 * when the unit and total are known; nothing when quiet or when the total is unknown (Arrow IPC).
 */
export function readProgress(label: string, quiet: boolean): { onProgress: OnReadProgress; stop(): void } {
  let bar: Progress | undefined;
  let done = false;
  const stop = (): void => {
    if (bar && !done) bar.stop();
    done = true;
  };
  return {
    onProgress(p) {
      if (quiet || done || p.total === undefined) return;
      const scale = p.unit === 'bytes' ? 2 ** -20 : 1;
      bar ??= createProgress(label, Math.max(1, Math.round(p.total * scale)), p.unit === 'bytes' ? 'MB' : 'rows');
      bar.update(Math.round(p.done * scale));
      // The read ends here; what follows (signals, training) prints its own lines.
      if (p.done >= p.total) stop();
    },
    stop,
  };
}

/** A bar for the signals stage in steps, the running step as its detail; nothing when quiet. */
export function signalsProgress(quiet: boolean): { update(p: SignalsProgress): void; stop(): void } {
  let bar: Progress | undefined;
  return {
    update(p) {
      if (quiet) return;
      bar ??= createProgress('signals', p.total, 'steps');
      bar.update(p.done, { detail: p.step });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
