/**
 * Text written to standard output (`--out -`) with the interface of AtomicTextWriter: queued in
 * about 1 MiB pieces, each handed to the stream once it has taken the one before (a slow reader
 * of the pipe holds the writer, not the process's memory). There is nothing to land atomically:
 * `commit` drains the stream and `abort` drops what is queued. A reader that closes the pipe
 * early (`| head`) ends the writing with an OutputClosedError, which the CLI ends quietly on, as
 * a process ended by SIGPIPE would.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** The reader of standard output closed it before the output was complete. */
export class OutputClosedError extends Error {
  constructor() {
    super('standard output was closed before the output was complete');
    this.name = 'OutputClosedError';
  }
}

export class StdoutTextWriter {
  private chunks: (string | Uint8Array)[] = [];
  private size = 0;
  private failure: Error | undefined;

  constructor(private readonly stream: Writable = process.stdout) {
    // Without a listener a closed pipe (EPIPE) would end the process with a stack trace.
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.failure = err.code === 'EPIPE' ? new OutputClosedError() : err;
    });
  }

  /** Queue text (or UTF-8 bytes); handed to the stream in ~1 MiB pieces. */
  async write(text: string | Uint8Array): Promise<void> {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.chunks.length === 0) return;
    const data = Buffer.concat(this.chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
    this.chunks = [];
    this.size = 0;
    // once() rejects on the stream's error (a closed pipe) while it waits for the drain.
    if (!this.stream.write(data)) await once(this.stream, 'drain').catch((err: unknown) => Promise.reject(this.failure ?? err));
    if (this.failure) throw this.failure;
  }

  async commit(): Promise<void> {
    await this.flush();
    // Everything handed over has been taken (or the stream failed) before the run reports success.
    await new Promise<void>((resolve, reject) => this.stream.write('', (err) => (err ? reject(this.failure ?? err) : resolve())));
    if (this.failure) throw this.failure;
  }

  async abort(): Promise<void> {
    this.chunks = [];
    this.size = 0;
  }
}
