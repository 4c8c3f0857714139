import { describe, expect, it } from 'vitest';
import { ShardFeed } from '../../src/playlist/shard-feed.js';

const bytes = (s: number): Uint8Array => Uint8Array.of(s);
/** Whether `p` has settled after the microtasks queued so far. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('ShardFeed', () => {
  it('hands shards to the writer in order, whether given before or after they are asked for', async () => {
    const feed = new ShardFeed(3);
    feed.give(3, bytes(3));
    expect(await feed.take(3)).toEqual(bytes(3));
    const four = feed.take(4);
    expect(await settled(four)).toBe(false);
    feed.give(4, bytes(4));
    expect(await four).toEqual(bytes(4));
    await expect(feed.take(6)).rejects.toThrow(/asked for shard 6, expected 5/);
  });

  it('makes the job wait until the writer has taken all but the last two shards given', async () => {
    const feed = new ShardFeed(0);
    for (let s = 0; s < 2; s++) {
      feed.give(s, bytes(s));
      expect(await settled(feed.room(s))).toBe(true);
    }
    feed.give(2, bytes(2));
    const room = feed.room(2);
    expect(await settled(room)).toBe(false);
    await feed.take(0);
    expect(await settled(room)).toBe(true);
  });

  it('fails the job side once the writer failed, and the writer side once the job failed', async () => {
    const writerFailed = new ShardFeed(0);
    writerFailed.give(0, bytes(0));
    writerFailed.give(1, bytes(1));
    writerFailed.give(2, bytes(2));
    const room = writerFailed.room(2);
    writerFailed.fail(new Error('disk full'));
    await expect(room).rejects.toThrow('disk full');
    expect(() => writerFailed.give(3, bytes(3))).toThrow('disk full');
    await expect(writerFailed.room(3)).rejects.toThrow('disk full');

    const jobFailed = new ShardFeed(0);
    const waiting = jobFailed.take(0);
    jobFailed.fail(new Error('shard 0 failed twice'));
    await expect(waiting).rejects.toThrow('shard 0 failed twice');
    await expect(jobFailed.take(1)).rejects.toThrow('shard 0 failed twice');
  });
});
