/**
 * Pool thread of ParquetDecoder: holds one open Parquet file and decodes the row group each task
 * names into an Arrow IPC stream, which goes back moved, not copied.
 */
import { movedResult } from '../util/move-result.js';
import { ParquetSource } from './parquet-source.js';

export type ParquetTask = { op: 'open'; file: string } | { op: 'group'; group: number; columns: string[] } | { op: 'close' };

let current: ParquetSource | null = null;

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
      return movedResult(ipc, [ipc]);
    }
    case 'close':
      await current?.close();
      current = null;
      return null;
  }
}
