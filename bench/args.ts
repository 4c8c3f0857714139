/**
 * Command-line flags of the benchmark scripts, parsed strictly (node:util parseArgs): an unknown
 * or misspelt flag, a missing value or a bad number stops the script with a message naming the
 * flag, instead of a long run on a default the caller did not mean.
 *
 *   const flags = BenchFlags.parse({ users: 'value', file: 'values', 'skip-job': 'switch' });
 *   const users = flags.int('users', 2000);
 */
import { parseArgs } from 'node:util';

/** What a flag takes: one value, a value that may be repeated, or none (a switch). */
export type FlagKind = 'value' | 'values' | 'switch';

type Parsed = Record<string, string | boolean | string[] | undefined>;

/** Flags that each take one value, for BenchFlags.parse (spread beside switches and repeatable ones). */
export function valueFlags(...names: string[]): Record<string, FlagKind> {
  return Object.fromEntries(names.map((name) => [name, 'value' as const]));
}

export class BenchFlags {
  private constructor(
    private readonly kinds: Readonly<Record<string, FlagKind>>,
    private readonly values: Parsed,
  ) {}

  /** Parses `argv` (default: this process's arguments) against the script's flags. */
  static parse(kinds: Record<string, FlagKind>, argv: string[] = process.argv.slice(2)): BenchFlags {
    const options = Object.fromEntries(
      Object.entries(kinds).map(([name, kind]) => [name, kind === 'switch' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: kind === 'values' }]),
    );
    return new BenchFlags(kinds, parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Parsed);
  }

  /** `--name N`: an integer ≥ `min` (default 1), or `fallback` when absent. */
  int(name: string, fallback: number, min = 1): number {
    const raw = this.value(name);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}, got '${raw}'`);
    return v;
  }

  /** `--name 1,8,64`: integers ≥ `min` (default 1), or `fallback` when absent. */
  ints(name: string, fallback: readonly number[], min = 1): number[] {
    const raw = this.value(name);
    if (raw === undefined) return [...fallback];
    const v = raw.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
    if (v.some((x) => !Number.isInteger(x) || x < min)) throw new Error(`--${name} must be a comma-separated list of integers ≥ ${min}, got '${raw}'`);
    return v;
  }

  /** `--name X`: a number for which `ok` holds (`what` says which, for the message), or `fallback`. */
  number(name: string, fallback: number, what: string, ok: (v: number) => boolean): number {
    const raw = this.value(name);
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new Error(`--${name} must be ${what}, got '${raw}'`);
    return v;
  }

  /** `--name TEXT`, or `fallback` when absent. */
  text(name: string): string | undefined;
  text(name: string, fallback: string): string;
  text(name: string, fallback?: string): string | undefined {
    return this.value(name) ?? fallback;
  }

  /** Every value of a repeatable `--name TEXT`, in order. */
  texts(name: string): string[] {
    this.expect(name, 'values');
    return (this.values[name] as string[] | undefined) ?? [];
  }

  /** `--name a,b`: each one of `allowed`, or `fallback` when absent. */
  choices<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
    const raw = this.value(name);
    if (raw === undefined) return [...fallback];
    const v = raw.split(',');
    const bad = v.find((s) => !(allowed as readonly string[]).includes(s));
    if (bad !== undefined) throw new Error(`--${name} takes ${allowed.join(', ')} (comma-separated), got '${bad}'`);
    return v as T[];
  }

  /** `--name X`: one of `allowed`, or `fallback` when absent. */
  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.value(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) throw new Error(`--${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
    return raw as T;
  }

  /** Whether the switch `--name` was given. */
  on(name: string): boolean {
    this.expect(name, 'switch');
    return this.values[name] === true;
  }

  private value(name: string): string | undefined {
    this.expect(name, 'value');
    return this.values[name] as string | undefined;
  }

  /** A script reading a flag it did not declare (or as another kind) is a bug in the script. */
  private expect(name: string, kind: FlagKind): void {
    if (this.kinds[name] !== kind) throw new Error(`bench flags: --${name} is read as a ${kind} but declared as ${this.kinds[name] ?? 'nothing'}`);
  }
}
