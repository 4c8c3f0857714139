/**
 * Parquet files' row groups decoded on a worker thread, one group ahead of the reader. Decoding
 * a group of a million rows holds a thread for tens of milliseconds (more with large id
 * dictionaries); on the reader's thread that was a stall of a reading service's event loop, and
 * time the reader could not spend on the group before. The groups come back as Arrow IPC
 * streams, whose buffers the reader's Arrow vectors view without a copy.
 * Small files go to a thread too, though starting it costs more than their decode: a corrupt page
 * can make parquet-wasm panic, and a panicked WebAssembly instance is unusable afterwards (a later
 * read on it may fail or hang). On a thread of its own that ends with the read, a corrupt file
 * fails its own read only. The part files of one input share one thread, opened one after another.
 */
import * as arrow from 'apache-arrow';
import type { Piscina } from 'piscina';
import { createWorkerPool } from '../util/worker-pool.js';
import { IngestError } from './errors.js';
import { errorMessage } from '../util/error-message.js';
import type { ParquetLayout } from './parquet-source.js';
import type { ParquetTask } from './parquet-worker.js';

export class ParquetDecoder {
  private file = '';
  private layout: ParquetLayout | null = null;

  private constructor(private readonly pool: Piscina) {}

  /** A decoding thread with no file open yet. */
  static start(): ParquetDecoder {
    return new ParquetDecoder(createWorkerPool(import.meta.url, 'parquet-worker', 1));
  }

  /**
   * Runs `use` with `file` open on `shared` (the thread of an input's parts), or on a thread of
   * its own that ends afterwards.
   */
  static async withFile<T>(file: string, shared: ParquetDecoder | undefined, use: (decoder: ParquetDecoder) => Promise<T>): Promise<T> {
    const decoder = shared ?? ParquetDecoder.start();
    try {
      await decoder.openFile(file);
      return await use(decoder);
    } finally {
      if (!shared) await decoder.close();
    }
  }

  /** Opens `file` on the thread, closing the one open before; throws an IngestError naming it when it cannot be read. */
  async openFile(file: string): Promise<void> {
    this.file = file;
    this.layout = null;
    try {
      this.layout = (await this.pool.run({ op: 'open', file } satisfies ParquetTask)) as ParquetLayout;
    } catch (err) {
      throw new IngestError(`${file}: ${errorMessage(err)}`, file);
    }
  }

  private get open(): ParquetLayout {
    if (!this.layout) throw new Error('ParquetDecoder: no file open');
    return this.layout;
  }

  /** The open file's column names. */
  get fields(): string[] {
    return this.open.fields;
  }

  /** The open file's rows (all row groups). */
  get rows(): number {
    return this.open.groupRows.reduce((a, b) => a + b, 0);
  }

  /**
   * Calls `each` with every row group of the open file (only `columns`) in order, awaiting it
   * before the next; the group after the one `each` has is decoded meanwhile.
   */
  async forEachGroup(columns: string[], each: (table: arrow.Table) => Promise<void>): Promise<void> {
    const groups = this.open.groupRows.length;
    const file = this.file;
    const unreadable = (group: number, err: unknown): IngestError =>
      new IngestError(`${file}: row group ${group}: cannot read (truncated or corrupt?): ${errorMessage(err)}`, file);
    const decode = (group: number): Promise<Uint8Array> => {
      const decoded = (this.pool.run({ op: 'group', group, columns } satisfies ParquetTask) as Promise<Uint8Array>).catch((err: unknown) => {
        throw unreadable(group, err);
      });
      // Decoded ahead, a group can fail while the reader still takes the one before, over many
      // turns: handled at once, that is no unhandled rejection, and the reader's await of it
      // still throws. A reader that stops early leaves it running; the thread takes the next
      // open or the close after it.
      decoded.catch(() => undefined);
      return decoded;
    };
    let next = groups > 0 ? decode(0) : null;
    for (let g = 0; g < groups; g++) {
      const ipc = await next!;
      next = g + 1 < groups ? decode(g + 1) : null;
      let table: arrow.Table;
      try {
        table = arrow.tableFromIPC(ipc);
      } catch (err) {
        throw unreadable(g, err);
      }
      await each(table);
    }
  }

  /** Closes the open file, if any, and ends the thread. */
  async close(): Promise<void> {
    try {
      await this.pool.run({ op: 'close' } satisfies ParquetTask);
    } finally {
      await this.pool.destroy();
    }
  }
}
