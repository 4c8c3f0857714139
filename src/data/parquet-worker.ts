/**
 * Pool thread of ParquetDecoder: holds one open Parquet file and decodes the row group each task
 * names into an Arrow IPC stream, which goes back moved, not copied. The string ids of the columns
 * a task names in `ids` are numbered here too (IdNumbering), one numbering per column for the
 * thread's life, so the parts of an input share them.
 */
import * as arrow from 'apache-arrow';
import { movedResult } from '../util/move-result.js';
import { IdNumbering, type NumberedIds } from './id-numbering.js';
import { ParquetSource } from './parquet-source.js';

export type ParquetTask = { op: 'open'; file: string } | { op: 'group'; group: number; columns: string[]; ids?: string[] } | { op: 'close' };

/** A decoded row group: its IPC stream, and per column named in the task its numbered ids (null when not strings). */
export interface DecodedGroup {
  ipc: Uint8Array;
  ids: Record<string, NumberedIds | null>;
}

let current: ParquetSource | null = null;
const numberings = new Map<string, IdNumbering>();

export default async function run(task: ParquetTask): Promise<unknown> {
  switch (task.op) {
    case 'open':
      await current?.close();
      current = null;
      current = await ParquetSource.open(task.file);
      return current.layout;
    case 'group': {
      if (!current) throw new Error('parquet worker: no file open');
      const ipc = await current.group(task.group, task.columns);
      const ids = numberIds(ipc, task.ids ?? []);
      const arrays = [ipc, ...Object.values(ids).flatMap((x) => (x ? [x.numbers, x.bytes, x.offsets] : []))];
      return movedResult({ ipc, ids } satisfies DecodedGroup, arrays);
    }
    case 'close':
      await current?.close();
      current = null;
      return null;
  }
}

/** The numbered ids of the named columns of a group (views of `ipc`, which stays as it is). */
function numberIds(ipc: Uint8Array, columns: readonly string[]): Record<string, NumberedIds | null> {
  const ids: Record<string, NumberedIds | null> = {};
  if (columns.length === 0) return ids;
  const table = arrow.tableFromIPC(ipc);
  for (const name of columns) {
    const chunks = table.getChild(name)?.data ?? [];
    // One batch per group (ParquetSource.group); anything else is left to the reader.
    if (chunks.length !== 1) {
      ids[name] = null;
      continue;
    }
    let numbering = numberings.get(name);
    if (!numbering) numberings.set(name, (numbering = new IdNumbering()));
    ids[name] = numbering.number(chunks[0]);
  }
  return ids;
}
