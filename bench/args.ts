/** Command-line flags of the benchmark scripts. */

/** `--name N` as a positive integer, or `fallback` when absent. */
export function positiveIntArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer, got ${process.argv[i + 1]}`);
  return v;
}

/** `--name 1,8,64` as positive integers, or `fallback` when absent. */
export function positiveIntListArg(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const raw = process.argv[i + 1] ?? '';
  const v = raw.split(',').map(Number);
  if (v.some((x) => !Number.isInteger(x) || x <= 0)) throw new Error(`--${name} must be a comma-separated list of positive integers, got ${raw}`);
  return v;
}
