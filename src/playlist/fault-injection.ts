/**
 * A test hook that makes a weekly-job shard fail for real, to prove that a failed shard is retried
 * on a fresh worker and that a second failure fails the run. Off unless MIXTAPE_TEST_FAULT holds
 * JSON with "stage": "weekly", e.g.
 *   {"stage":"weekly","shard":1,"failures":1,"mode":"exit"}
 * (mode "exit" ends the worker thread with process.exit, "throw" throws; `failures` is how many
 * attempts of that shard fail; without `shard` every shard fails). Specs of other stages (the
 * training hook reads the same variable) are ignored here.
 */

interface WeeklyFaultSpec {
  stage?: string;
  shard?: number;
  failures?: number;
  mode?: 'exit' | 'throw';
}

const spec: WeeklyFaultSpec | undefined = parse(process.env.MIXTAPE_TEST_FAULT);

function parse(text: string | undefined): WeeklyFaultSpec | undefined {
  if (!text) return undefined;
  let v: WeeklyFaultSpec;
  try {
    v = JSON.parse(text) as WeeklyFaultSpec;
  } catch {
    throw new Error(`MIXTAPE_TEST_FAULT is not valid JSON: ${text}`);
  }
  return v?.stage === 'weekly' ? v : undefined;
}

/** Fail this attempt of `shard` when the hook asks for it. */
export function injectWeeklyFault(shard: number, attempt: number): void {
  if (!spec) return;
  if (spec.shard !== undefined && spec.shard !== shard) return;
  if (attempt >= (spec.failures ?? 1)) return;
  if (spec.mode === 'exit') process.exit(70);
  throw new Error(`injected fault in weekly shard ${shard}, attempt ${attempt + 1}`);
}
