import { InvalidArgumentError } from 'commander';
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

/** A date: ISO-8601 or epoch milliseconds → epoch ms. */
export function date(v: string): number {
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected an ISO-8601 date, got '${v}'`);
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

export { peakRssMb } from '../util/peak-rss.js';
