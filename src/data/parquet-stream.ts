/**
 * Parquet written through parquet-wasm's streaming writer, a slice of rows at a time, so that
 * WebAssembly memory (at most 4 GiB, shared by everything the module holds) carries one slice and
 * its output instead of a whole table and a whole file.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import type { PieceSink } from '../util/streamed-file.js';

/**
 * The record batches of an Arrow IPC stream, in WebAssembly memory, for the streaming writer. The
 * table that held them is freed at once: until its wrapper was collected it kept every batch's
 * memory, so a streamed table grew WebAssembly memory by all of its rows after all. The batches
 * themselves must not be freed: the writer takes them over.
 */
export function recordBatchesOf(ipc: Uint8Array): pw.RecordBatch[] {
  const table = pw.Table.fromIPCStream(ipc);
  try {
    return table.recordBatches();
  } finally {
    table.free();
  }
}

/**
 * Encodes `table` as Parquet, `rowsPerSlice` rows copied into WebAssembly memory at a time (only
 * when the writer asks for more); `props` makes fresh writer properties (a writer consumes them).
 * Each piece of the file goes to `sink` as it comes, in order, and the next is not taken until the
 * sink is done with it: a caller that writes them holds one row group's bytes, not the file's
 * (870 MB for 100 M interactions).
 */
export async function encodeParquetTo(table: arrow.Table, props: () => pw.WriterProperties, rowsPerSlice: number, sink: PieceSink): Promise<void> {
  await encodePushedParquetTo((push) => push(table), props, rowsPerSlice, sink, () => table);
}

/** A table encoded whole: for one without rows, whose schema the streaming writer cannot learn. */
function encodeWhole(table: arrow.Table, props: () => pw.WriterProperties): Uint8Array {
  return pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props());
}

/** Hands a table to the streaming writer; resolves once the writer has taken it. */
export type TablePush = (table: arrow.Table) => Promise<void>;

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Rejected only to wake a producer; one that is not waiting must not make it unhandled.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * Encodes the tables `produce` pushes, in order, as one Parquet file, each piece to `sink` as it
 * comes: the writer pulls rows when it wants them, `rowsPerSlice` at a time, and a push waits
 * until the writer has taken its table's last slice, so a producer that reads another file a row
 * group at a time (reveal) holds one group, and WebAssembly memory one slice, not the file.
 * Resolves to the number of rows written. With none (no table, or tables without rows) the
 * writer, which learns the schema from rows, never starts: the file is `columnsAlone()` encoded
 * whole (the columns without rows), or nothing when that is not given and the caller decides.
 */
export async function encodePushedParquetTo(
  produce: (push: TablePush) => Promise<void>,
  props: () => pw.WriterProperties,
  rowsPerSlice: number,
  sink: PieceSink,
  columnsAlone?: () => arrow.Table,
): Promise<number> {
  let demand = deferred(); // resolved when the writer pulls
  let supplied = deferred(); // resolved when a push has enqueued what the writer pulled for
  let controller: ReadableStreamDefaultController<pw.RecordBatch> | null = null;
  let writing: Promise<void> | null = null;
  let failure: { err: unknown } | null = null;
  let written = 0;
  const startWriter = (): void => {
    const input = new ReadableStream<pw.RecordBatch>(
      {
        start(c) {
          controller = c;
        },
        pull() {
          supplied = deferred();
          demand.resolve();
          return supplied.promise;
        },
      },
      { highWaterMark: 0 },
    );
    writing = (async () => {
      const output = (await pw.transformParquetStream(input, props())) as ReadableStream<Uint8Array>;
      const reader = output.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        await sink(value);
      }
    })();
    // A writer that fails (a full disk, a schema that changed) wakes a producer waiting to push.
    writing.catch((err: unknown) => {
      failure = { err };
      demand.reject(err);
    });
  };
  const push: TablePush = async (table) => {
    for (let from = 0; from < table.numRows; from += rowsPerSlice) {
      if (!writing) startWriter();
      await demand.promise;
      if (failure) throw failure.err;
      demand = deferred();
      const slice = table.slice(from, Math.min(table.numRows, from + rowsPerSlice));
      for (const batch of recordBatchesOf(arrow.tableToIPC(slice, 'stream'))) controller!.enqueue(batch);
      written += slice.numRows;
      supplied.resolve();
    }
  };
  try {
    await produce(push);
  } catch (err) {
    // The writer stops at the error; the producer's error is the one to tell.
    (controller as ReadableStreamDefaultController<pw.RecordBatch> | null)?.error(err);
    await (writing as Promise<void> | null)?.catch(() => undefined);
    throw err;
  }
  if (!writing) {
    if (columnsAlone) await sink(encodeWhole(columnsAlone(), props));
    return 0;
  }
  (controller as ReadableStreamDefaultController<pw.RecordBatch> | null)!.close();
  await writing;
  return written;
}
