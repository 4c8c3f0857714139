/**
 * A test hook that makes a pool worker fail for real, to prove that a failed shard is retried on
 * a fresh worker and that a second failure fails the run. Off unless MIXTAPE_TEST_FAULT holds
 * JSON such as
 *   {"stage":"train","side":"user","shard":1,"iteration":2,"failures":1,"mode":"exit"}
 *   {"stage":"weekly","shard":1,"failures":1,"mode":"throw"}
 *   {"stage":"read","shard":0,"mode":"exit"}   (the thread of a split CSV read's second range)
 * `stage` picks the pool ("train" when absent); `mode` "exit" ends the worker thread with
 * process.exit, "throw" throws; `failures` is how many attempts of a matching shard fail; every
 * other field present must match (`shard`, and for training `side` and `iteration`).
 */

export type FaultStage = 'train' | 'weekly' | 'read';

interface FaultSpec {
  stage?: string;
  shard?: number;
  side?: 'user' | 'item';
  iteration?: number;
  failures?: number;
  mode?: 'exit' | 'throw';
}

/** Where a worker is: the shard, which attempt of it, and the training side and iteration. */
export interface FaultSite {
  shard: number;
  attempt: number;
  side?: 'user' | 'item';
  iteration?: number;
}

function parse(text: string | undefined): FaultSpec | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as FaultSpec;
  } catch {
    throw new Error(`MIXTAPE_TEST_FAULT is not valid JSON: ${text}`);
  }
}

const spec: FaultSpec | undefined = parse(process.env.MIXTAPE_TEST_FAULT);

/** Fail this attempt at `site` of a `stage` pool when the hook asks for it; `label` names the shard. */
export function injectFault(stage: FaultStage, site: FaultSite, label: string): void {
  if (!spec || (spec.stage ?? 'train') !== stage) return;
  if (spec.shard !== undefined && spec.shard !== site.shard) return;
  if (spec.side !== undefined && spec.side !== site.side) return;
  if (spec.iteration !== undefined && spec.iteration !== site.iteration) return;
  if (site.attempt >= (spec.failures ?? 1)) return;
  if (spec.mode === 'exit') process.exit(70);
  throw new Error(`injected fault in ${label}, attempt ${site.attempt + 1}`);
}
