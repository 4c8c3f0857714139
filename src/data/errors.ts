/**
 * Errors raised by ingest. Every message starts with where the problem is (`file:line` for text
 * files, `file:row N` for columnar files) so a user can open the file at the right place.
 */
import { MAX_FLOAT32 } from '../util/float32.js';

export class IngestError extends Error {
  /** File the problem is in. */
  readonly file: string;
  /** 1-based physical line (text) or row (columnar), when the problem is at one place. */
  readonly line?: number;
  /** Validation rule name, when the error comes from a rule in strict mode. */
  readonly rule?: string;

  constructor(message: string, file: string, line?: number, rule?: string) {
    super(message);
    this.name = 'IngestError';
    this.file = file;
    this.line = line;
    this.rule = rule;
  }
}

/** A column the reader needs is not in the file; `columns` are the ones it has. */
export class MissingColumnError extends IngestError {
  constructor(
    file: string,
    readonly column: string,
    readonly columns: readonly string[],
  ) {
    super(`${file}: missing column '${column}' (columns: ${columns.join(', ')})`, file);
    this.name = 'MissingColumnError';
  }
}

/** How rows are located in messages: physical lines for text files, data rows for columnar ones. */
export type LocationKind = 'line' | 'row';

/** `file:12` for text files, `file:row 12` for columnar files. */
export function formatLocation(file: string, kind: LocationKind, n: number): string {
  return kind === 'line' ? `${file}:${n}` : `${file}:row ${n}`;
}

/** Shows a raw field value in a message: quoted, control characters escaped, long values cut. */
export function quoteValue(value: string, max = 60): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

/** Why a counts weight is refused: negative, not finite, or beyond what float32 storage holds. */
export function weightProblem(w: number): string {
  if (w < 0) return `${w} is negative`;
  if (w > MAX_FLOAT32 && w !== Infinity) return `${w} is beyond a 32-bit float's range (at most 3.4e38)`;
  return `${w} is not finite`;
}
