import { beforeAll, describe, expect, it } from 'vitest';
import { withLoopStall } from '../../src/bench/loop-stall.js';
import { generateWorld, worldToEventLog } from '../../src/generate/index.js';
import { Model } from '../../src/model/model.js';
import { ModelHandle } from '../../src/model/model-handle.js';
import { trackMetaFromEvents, type TrackMeta } from '../../src/playlist/index.js';
import { computeSignals } from '../../src/signals/index.js';
import { train } from '../../src/train/train.js';

let a: Model;
let b: Model;
let metaA: TrackMeta;
let metaB: TrackMeta;
let asOf: number;
let users: string[];

beforeAll(async () => {
  const world = generateWorld({ users: 500, tracks: 2500, weeks: 3, seed: 21 });
  const log = worldToEventLog(world);
  asOf = world.endMs;
  const { interactions } = computeSignals(log, { asOf });
  a = await train(interactions, { factors: 16, iterations: 5, seed: 1, threads: 2 });
  b = await train(interactions, { factors: 16, iterations: 5, seed: 2, threads: 2 });
  metaA = trackMetaFromEvents(log, a.data.items);
  metaB = trackMetaFromEvents(log, b.data.items);
  users = a.userIds.slice(0, 100) as string[];
});

type Call = { kind: 'recommend' | 'weekly' | 'foldIn'; user: string };
const calls = (): Call[] => {
  const out: Call[] = [];
  for (let r = 0; out.length < 1000; r++) for (const kind of ['recommend', 'weekly', 'foldIn'] as const) out.push({ kind, user: users[(r * 7 + out.length) % users.length] });
  return out.slice(0, 1000);
};

async function answer(m: Model, meta: TrackMeta, c: Call): Promise<string> {
  if (c.kind === 'recommend') return JSON.stringify(await m.recommend(c.user, { n: 20 }));
  if (c.kind === 'weekly') return JSON.stringify(await m.weeklyPlaylist(c.user, { asOf, meta, size: 20, seed: 5 } as Parameters<Model['weeklyPlaylist']>[1]));
  const u = m.data.users.get(c.user)!;
  const history = Array.from(m.seenItems(u), (i) => ({ trackId: m.trackIds[i], weight: 2 }));
  const v = await m.foldIn(history);
  return JSON.stringify(await m.recommendVector(v, { n: 10, exclude: history.map((h) => h.trackId) }));
}

describe('one model under 1,000 concurrent calls', () => {
  it('returns the same results as sequential calls, and reports the longest event-loop block', async () => {
    const list = calls();
    const sequential: string[] = [];
    for (const c of list) sequential.push(await answer(a, metaA, c));
    // The longest stretch the event loop could not run a 1 ms timer: how long the calls block it.
    let launch = 0;
    const { result: concurrent, seconds, longestStallMs: longest } = await withLoopStall(() => {
      const started = performance.now();
      const pending = list.map((c) => answer(a, metaA, c));
      launch = performance.now() - started;
      return Promise.all(pending);
    });
    const total = seconds * 1000;
    expect(concurrent).toEqual(sequential);
    // A figure, not an assertion: wall-clock time depends on the machine.
    console.log(
      `1,000 concurrent recommend/weeklyPlaylist/foldIn calls in ${total.toFixed(0)} ms: longest event-loop block ${longest.toFixed(1)} ms ` +
        `(of which ${launch.toFixed(1)} ms is this test starting all 1,000 calls in one synchronous loop)`,
    );
  });

  it('swaps the model while calls are in flight without any call failing', async () => {
    const list = calls();
    const expectA = await Promise.all(list.map((c) => answer(a, metaA, c)));
    const expectB = await Promise.all(list.map((c) => answer(b, metaB, c)));
    const handle = new ModelHandle(a);
    let swapped = false;
    const results = await Promise.allSettled(
      list.map(async (c, i) => {
        if (i === 500) {
          handle.swap(b);
          swapped = true;
        }
        return handle.use((m) => answer(m, m === a ? metaA : metaB, c));
      }),
    );
    expect(swapped).toBe(true);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    let fromA = 0;
    let fromB = 0;
    results.forEach((r, i) => {
      const v = (r as PromiseFulfilledResult<string>).value;
      if (v === expectA[i]) fromA++;
      else if (v === expectB[i]) fromB++;
      else throw new Error(`call ${i} answered with neither model's result`);
    });
    expect(fromA).toBeGreaterThan(0);
    expect(fromB).toBeGreaterThan(0);
    expect(handle.model).toBe(b);
  });
});
