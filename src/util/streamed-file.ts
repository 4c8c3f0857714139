/**
 * A file written a piece at a time as an encoder produces them, so a large output (a Parquet
 * file of 100 M rows) is never held whole in memory.
 */
import { promises as fs } from 'node:fs';

/** Takes a file's pieces in order, one at a time; the next comes when it is done. */
export type PieceSink = (piece: Uint8Array) => Promise<void> | void;

export interface StreamedFile {
  bytes: number;
}

/**
 * Creates `file` (it must not exist) and lets `fill` write into it through a sink, each piece in
 * full from the current position; `sync` flushes it to the disk before it is closed.
 */
export async function writeStreamed(file: string, fill: (sink: PieceSink) => Promise<void>, opts: { sync?: boolean } = {}): Promise<StreamedFile> {
  const fh = await fs.open(file, 'wx');
  let bytes = 0;
  try {
    await fill(async (piece) => {
      await fh.writeFile(piece);
      bytes += piece.length;
    });
    if (opts.sync) await fh.sync();
  } finally {
    await fh.close();
  }
  return { bytes };
}
