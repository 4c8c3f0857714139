/**
 * How far a read has come, for progress bars on inputs of hundreds of millions of events: bytes
 * of the file(s) on disk for text (compressed bytes for gzip), rows for Parquet (from the footers)
 * and Arrow IPC (no total). Reported per chunk or record batch, never per row.
 */
export interface ReadProgress {
  done: number;
  /** Undefined when the total is not known up front (Arrow IPC). */
  total: number | undefined;
  unit: 'bytes' | 'rows';
}

export type OnReadProgress = (p: ReadProgress) => void;
