/**
 * One open Parquet file whose row groups are decoded, one at a time, into Arrow IPC streams: the
 * form in which a decoded group leaves WebAssembly memory, and the thread that decoded it, in one
 * piece. ParquetDecoder's worker thread holds one.
 */
import * as pw from 'parquet-wasm';
import { parseSchema } from './arrow-ffi.js';
import { errorMessage } from '../util/error-message.js';
import { openFileAsBlob, type OpenFileBlob } from './range-blob.js';

/** What an opened file holds: its column names and each row group's rows. */
export interface ParquetLayout {
  fields: string[];
  groupRows: number[];
}

export class ParquetSource {
  private constructor(
    private readonly file: OpenFileBlob,
    private readonly pf: pw.ParquetFile,
    readonly layout: ParquetLayout,
  ) {}

  /** Opens `file`; the error says whether it could not be opened or is not Parquet (without the file's name). */
  static async open(file: string): Promise<ParquetSource> {
    let blob: OpenFileBlob;
    try {
      blob = await openFileAsBlob(file);
    } catch (err) {
      throw new Error(`cannot open: ${errorMessage(err)}`);
    }
    let pf: pw.ParquetFile;
    try {
      pf = await pw.ParquetFile.fromFile(blob.blob);
    } catch (err) {
      await blob.close();
      throw new Error(`not a readable Parquet file (truncated or corrupt?): ${errorMessage(err)}`);
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
    return new ParquetSource(blob, pf, { fields, groupRows });
  }

  /** Row group `group` (only `columns`) as an Arrow IPC stream of one record batch. */
  async group(group: number, columns: string[]): Promise<Uint8Array> {
    const rows = this.layout.groupRows[group];
    if (rows === undefined) throw new RangeError(`no row group ${group} (the file has ${this.layout.groupRows.length})`);
    // One batch per row group: the default 1024-row batches would repeat each dictionary page
    // (all ids of the group) in every batch.
    const table = await this.pf.read({ rowGroups: [group], batchSize: Math.max(1, rows), columns });
    return table.intoIPCStream();
  }

  async close(): Promise<void> {
    this.pf.free();
    await this.file.close();
  }
}
