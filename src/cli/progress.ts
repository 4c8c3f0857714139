import cliProgress from 'cli-progress';
import type { OnReadProgress } from '../data/read-progress.js';

/**
 * A progress bar on stderr for long work (rate and ETA); silent when stderr is not a terminal,
 * so logs and pipes stay clean.
 */
export interface Progress {
  update(value: number, payload?: { detail?: string }): void;
  stop(): void;
}

export function createProgress(label: string, total: number, unit: string): Progress {
  if (!process.stderr.isTTY || process.env.CI) return { update: () => undefined, stop: () => undefined };
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
