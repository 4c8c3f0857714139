/**
 * A test hook that makes a worker fail for real, to prove that a shard is retried on a fresh
 * worker and that a second failure fails the run. Off unless MIXTAPE_TEST_FAULT holds JSON like
 *   {"side":"user","shard":1,"iteration":2,"failures":1,"mode":"exit"}
 * (mode "exit" ends the worker thread with process.exit, "throw" throws; `failures` is how many
 * attempts of that shard fail; `iteration` is optional).
 */
import type { ShardRef } from './worker.js';

interface FaultSpec {
  /** Absent or "train": training shards; specs of other stages (e.g. "weekly") are ignored here. */
  stage?: string;
  side?: 'user' | 'item';
  shard?: number;
  iteration?: number;
  failures?: number;
  mode?: 'exit' | 'throw';
}

const spec: FaultSpec | undefined = parse(process.env.MIXTAPE_TEST_FAULT);

function parse(text: string | undefined): FaultSpec | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as FaultSpec;
    return v.stage === undefined || v.stage === 'train' ? v : undefined;
  } catch {
    throw new Error(`MIXTAPE_TEST_FAULT is not valid JSON: ${text}`);
  }
}

export function injectFault(ref: ShardRef): void {
  if (!spec) return;
  if (spec.side !== undefined && spec.side !== ref.side) return;
  if (spec.shard !== undefined && spec.shard !== ref.shard) return;
  if (spec.iteration !== undefined && spec.iteration !== ref.iteration) return;
  if (ref.attempt >= (spec.failures ?? 1)) return;
  if (spec.mode === 'exit') process.exit(70);
  throw new Error(`injected fault in ${ref.side} shard ${ref.shard}, attempt ${ref.attempt + 1}`);
}
