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
  const rows = table.numRows;
  // The streaming writer learns the schema from its first batch: a table without rows is written whole.
  if (rows === 0) return sink(pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props()));
  let next = 0;
  const input = new ReadableStream<pw.RecordBatch>(
    {
      pull(controller) {
        if (next >= rows) return controller.close();
        const slice = table.slice(next, Math.min(rows, next + rowsPerSlice));
        next += rowsPerSlice;
        for (const batch of recordBatchesOf(arrow.tableToIPC(slice, 'stream'))) controller.enqueue(batch);
      },
    },
    { highWaterMark: 0 },
  );
  const output = (await pw.transformParquetStream(input, props())) as ReadableStream<Uint8Array>;
  const reader = output.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    await sink(value);
  }
}
