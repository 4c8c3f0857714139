/**
 * Completed shards handed from the weekly job's loop to the Parquet writer, in shard order, while
 * the job runs: the writer takes shard s as soon as it is given, and the job, having given shard
 * s, waits until the writer has taken shard s − LAG, so at most a few shards' bytes wait here.
 * Either side failing ends the other: a failed writer fails the next `give` or `room`, and `fail`
 * from the job rejects a `take` the writer waits on.
 */

/** Shards given that the writer may not have taken yet. */
const LAG = 2;

interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (err: unknown) => void;
}

export class ShardFeed {
  private readonly given = new Map<number, Uint8Array>();
  private taker: { shard: number; waiter: Waiter<Uint8Array> } | undefined;
  /** The job waiting for room after giving a shard (it gives the next only after). */
  private roomWaiter: { shard: number; waiter: Waiter<void> } | undefined;
  /** The next shard the writer takes. */
  private next: number;
  private failure: { err: unknown } | undefined;

  /** `first`: the first shard given here (the writer reads those before it elsewhere). */
  constructor(first: number) {
    this.next = first;
  }

  /** The writer's side: shard `s`'s bytes, once given. Shards are taken in order. */
  take(s: number): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure.err);
    if (s !== this.next) return Promise.reject(new Error(`weekly: the Parquet writer asked for shard ${s}, expected ${this.next}`));
    this.next = s + 1;
    this.wakeRoom();
    const bytes = this.given.get(s);
    if (bytes) {
      this.given.delete(s);
      return Promise.resolve(bytes);
    }
    return new Promise((resolve, reject) => {
      this.taker = { shard: s, waiter: { resolve, reject } };
    });
  }

  /** The job's side: shard `s`'s bytes. */
  give(s: number, bytes: Uint8Array): void {
    if (this.failure) throw this.failure.err;
    if (this.taker?.shard === s) {
      const { waiter } = this.taker;
      this.taker = undefined;
      waiter.resolve(bytes);
    } else this.given.set(s, bytes);
  }

  /** Resolves once the writer has taken shard s − LAG (at once when it has). */
  room(s: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.err);
    if (this.next > s - LAG) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.roomWaiter = { shard: s, waiter: { resolve, reject } };
    });
  }

  /** Either side failed: every waiter is rejected with `err`, and so is every later call. */
  fail(err: unknown): void {
    if (this.failure) return;
    this.failure = { err };
    this.given.clear();
    this.taker?.waiter.reject(err);
    this.taker = undefined;
    this.roomWaiter?.waiter.reject(err);
    this.roomWaiter = undefined;
  }

  private wakeRoom(): void {
    const r = this.roomWaiter;
    if (r && this.next > r.shard - LAG) {
      this.roomWaiter = undefined;
      r.waiter.resolve();
    }
  }
}
