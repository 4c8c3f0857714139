/**
 * Pool thread of ParquetDecoder: holds one open Parquet file and decodes the row group each task
 * names into an Arrow IPC stream, which goes back moved, not copied. The decode (decompressing
 * pages and expanding them into columns) is the part of a read that needs parquet-wasm; the
 * caller's thread only takes the stream's buffers as Arrow vectors.
 */
import * as pw from 'parquet-wasm';
import { movedResult } from '../util/move-result.js';
import { parseSchema } from './arrow-ffi.js';
import { openFileAsBlob, type OpenFileBlob } from './range-blob.js';

export type ParquetTask = { op: 'open'; file: string } | { op: 'group'; group: number; columns: string[] } | { op: 'close' };

/** What an opened file holds: its column names and each row group's rows. */
export interface ParquetLayout {
  fields: string[];
  groupRows: number[];
}

let current: { file: OpenFileBlob; pf: pw.ParquetFile; groupRows: number[] } | null = null;

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function close(): Promise<void> {
  const open = current;
  current = null;
  if (!open) return;
  open.pf.free();
  await open.file.close();
}

async function openFile(file: string): Promise<ParquetLayout> {
  await close();
  let blob: OpenFileBlob;
  try {
    blob = await openFileAsBlob(file);
  } catch (err) {
    throw new Error(`cannot open: ${reason(err)}`);
  }
  let pf: pw.ParquetFile;
  try {
    pf = await pw.ParquetFile.fromFile(blob.blob);
  } catch (err) {
    await blob.close();
    throw new Error(`not a readable Parquet file (truncated or corrupt?): ${reason(err)}`);
  }
  const schema = pf.schema().intoFFI();
  let fields: string[];
  try {
    fields = parseSchema(pw.wasmMemory().buffer, schema.addr()).fields.map((f) => f.name);
  } finally {
    schema.free();
  }
  const meta = pf.metadata();
  const groupRows = Array.from({ length: meta.numRowGroups() }, (_, g) => meta.rowGroup(g).numRows());
  current = { file: blob, pf, groupRows };
  return { fields, groupRows };
}

async function decodeGroup(group: number, columns: string[]): Promise<Uint8Array> {
  if (!current) throw new Error('parquet worker: no file open');
  const rows = current.groupRows[group];
  if (rows === undefined) throw new Error(`parquet worker: no row group ${group}`);
  // One batch per row group: the default 1024-row batches would repeat each dictionary page
  // (all ids of the group) in every batch.
  const table = await current.pf.read({ rowGroups: [group], batchSize: Math.max(1, rows), columns });
  return table.intoIPCStream();
}

export default async function run(task: ParquetTask): Promise<unknown> {
  switch (task.op) {
    case 'open':
      return openFile(task.file);
    case 'group': {
      const ipc = await decodeGroup(task.group, task.columns);
      return movedResult(ipc, [ipc]);
    }
    case 'close':
      await close();
      return null;
  }
}
