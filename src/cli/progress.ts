import cliProgress from 'cli-progress';

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
