import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_MIN_EPOCH_MS } from '../data/events-options.js';
import { parseTimeText } from '../data/timestamps.js';
import { EVENT_KINDS, type EventKind } from '../types.js';

/** Commander argument parsers that reject junk with a message naming the flag's value. */
export function int(min = Number.MIN_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got '${v}'`);
    return n;
  };
}

export function num(min = -Infinity) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`expected a number ≥ ${min}, got '${v}'`);
    return n;
  };
}

export function oneOf<T extends string>(...values: T[]) {
  return (v: string): T => {
    if (!(values as string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}, got '${v}'`);
    return v as T;
  };
}

/**
 * A date, read as event timestamps are (parseTimeText): ISO-8601 (no offset means UTC) or epoch
 * seconds / milliseconds by magnitude → epoch ms. Impossible dates are refused, and so are epoch
 * numbers before 2000 (8 digits meant as 20260202 read as seconds are 1970) and any time before
 * 1970. An ISO date before 2000 is taken: a log reaching back that far sets --min-date too, and
 * readEvents refuses an as-of time that is not after the earliest valid one.
 */
export function date(v: string): number {
  const n = parseTimeText(v);
  const forms = 'an ISO-8601 date or time (2026-02-02, 2026-02-02T06:00:00Z, 2026-02-02T07:00+01:00) or epoch seconds or milliseconds';
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected ${forms}, got '${v}'`);
  if (n < 0 || (n < DEFAULT_MIN_EPOCH_MS && EPOCH_NUMBER.test(v))) throw new InvalidArgumentError(`'${v}' reads as ${new Date(n).toISOString()}, before ${n < 0 ? 1970 : 2000}; expected ${forms}`);
  return n;
}

/** Text that parseTimeText reads as an epoch number. */
const EPOCH_NUMBER = /^\s*[+-]?[\d.]+\s*$/;

/**
 * An ISO-8601 date or time (no offset means UTC) → epoch ms, for a bound that may lie before 2000
 * (--min-date). Epoch numbers are refused: 19950101 would read as seconds in 1970.
 */
export function isoDate(v: string): number {
  const n = EPOCH_NUMBER.test(v) ? NaN : parseTimeText(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected an ISO-8601 date or time (1995-01-01, 1995-01-01T00:00:00Z), got '${v}'`);
  return n;
}

/** `name=kind,name=kind` → { name: kind }, every kind one of EVENT_KINDS. */
export function eventAliases(v: string): Record<string, EventKind> {
  const out: Record<string, EventKind> = {};
  for (const pair of v.split(',')) {
    const [name, kind, extra] = pair.split('=').map((x) => x.trim());
    if (!name || !kind || extra !== undefined) throw new InvalidArgumentError(`expected name=kind pairs separated by commas (e.g. stream=play,skipped=skip), got '${pair}'`);
    if (!(EVENT_KINDS as readonly string[]).includes(kind)) throw new InvalidArgumentError(`'${kind}' is not an event kind (${EVENT_KINDS.join(', ')})`);
    out[name] = kind as EventKind;
  }
  return out;
}

/**
 * Every `<file>` or `<dir>` option given is a path: an empty value (`--out ""`, an unset shell
 * variable) would otherwise write nothing, or to the working directory, and exit 0. Run before
 * each command's action.
 */
export function checkPathOptions(cmd: Command): void {
  for (const opt of cmd.options) {
    if (!/<(file|dir)>/.test(opt.flags)) continue;
    const v: unknown = cmd.getOptionValue(opt.attributeName());
    if (typeof v === 'string' && v.trim() === '') throw new Error(`option '${opt.flags}' argument '${v}' is invalid. expected a path, got an empty one`);
    // '-' would otherwise be taken as a file of that name, created or read in the working directory.
    if (v === '-' && !STANDARD_STREAM_OPTIONS.has(`${cmd.name()} ${opt.long}`)) {
      throw new Error(`option '${opt.flags}' argument '-' is invalid. expected a path: standard input and output are not read or written here${cmd.name() === 'recommend' ? '' : ' (recommend --out - streams to standard output)'}`);
    }
  }
}

/** Path options that take '-' for a standard stream. */
const STANDARD_STREAM_OPTIONS = new Set(['recommend --out']);

export { peakRssMb } from '../util/peak-rss.js';
