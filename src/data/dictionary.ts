import type { IdDictionary } from '../types.js';
import type { Utf8Strings } from './utf8-vector.js';
import { inSlicesPerTurn } from '../util/turns.js';

/**
 * A JS Map grows by rehashing every entry at once: at half a million ids one insert took 0.1 s, a
 * stall a service's thread feels, and one Map holds at most 2^24 entries. So a dictionary past
 * SPLIT_AT ids keeps its index in SHARDS maps chosen by a hash of the id, each growing alone.
 */
const SPLIT_AT = 1 << 15;
const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;

/**
 * The shard of an id: a hash of its length, last four and two middle code units (hashing every
 * unit was slower still). Ids alike in those six units share a shard, which is then one Map as
 * before the split, no worse. A random lookup among a million ids takes 1.4–2× a plain Map's
 * (`bench/dictionary.ts`); the readers of large logs intern once per distinct id (ByteInterner).
 */
function shardOf(id: string): number {
  const n = id.length;
  let h = n;
  if (n < 8) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  } else {
    const m = n >> 1;
    h = Math.imul(h ^ id.charCodeAt(n - 1), 0x01000193);
    h = Math.imul(h ^ id.charCodeAt(n - 2), 0x01000193);
    h = Math.imul(h ^ id.charCodeAt(n - 3), 0x01000193);
    h = Math.imul(h ^ id.charCodeAt(n - 4), 0x01000193);
    h = Math.imul(h ^ id.charCodeAt(m), 0x01000193);
    h = Math.imul(h ^ id.charCodeAt(m - 1), 0x01000193);
  }
  return Math.imul(h, 0x9e3779b1) >>> (32 - SHARD_BITS);
}

/**
 * Dense string ↔ index dictionary; indices are assigned in first-seen order.
 *
 * The id list is the source of truth and the id → index map is an index over it, extended on
 * demand: readers that already know an id is new (`appendNew`) skip the map, which for millions
 * of ids costs more than reading them, and a log whose ids are never looked up by name never
 * builds it.
 */
export class Dictionary implements IdDictionary {
  /** One map while small, SHARDS maps by shardOf from SPLIT_AT ids on. */
  private maps: Map<string, number>[] = [new Map()];
  private list: string[] = [];
  /** list[0, mapped) are in the map. */
  private mapped = 0;

  static from(ids: Iterable<string>): Dictionary {
    const d = new Dictionary();
    for (const id of ids) d.intern(id);
    return d;
  }

  /**
   * A dictionary of its own with the same ids in the same order, for a holder that must not see
   * later interns into `source`. A Dictionary's ids are distinct already, so only its list is
   * copied and the index is built on first lookup: a million ids re-interned take 0.9 s, copied
   * 0.04 s (bench/dictionary.ts). Other IdDictionary kinds go through `from`.
   */
  static copyOf(source: IdDictionary): Dictionary {
    if (!(source instanceof Dictionary)) return Dictionary.from(source.ids);
    const d = new Dictionary();
    d.list = source.list.slice();
    return d;
  }

  /**
   * `from` over ids laid out as UTF-8 (as a worker thread hands them back), a slice of ids per
   * event-loop turn: a million ids take most of a second to decode and index, and a service that
   * loads a model meanwhile keeps answering between slices.
   */
  static async fromUtf8InTurns(ids: Utf8Strings, perTurn = 1 << 12): Promise<Dictionary> {
    const d = new Dictionary();
    const text = Buffer.from(ids.bytes.buffer, ids.bytes.byteOffset, ids.bytes.byteLength);
    const { offsets } = ids;
    // Sized once (and trimmed to the distinct ids at the end): pushing a million ids copies the
    // list at each growth, 30 ms at the last one.
    d.list = new Array<string>(offsets.length - 1);
    await inSlicesPerTurn(offsets.length - 1, perTurn, (from, to) => {
      for (let i = from; i < to; i++) d.internIndexed(text.toString('utf8', offsets[i], offsets[i + 1]));
    });
    d.list.length = d.mapped;
    return d;
  }

  /** Index of id, adding it when new. */
  intern(id: string): number {
    this.index();
    return this.internIndexed(id);
  }

  /**
   * intern once the map is up to date: a new id goes to list[mapped], which is the list's end
   * except while fromUtf8InTurns fills a list sized in advance.
   */
  private internIndexed(id: string): number {
    const map = this.mapOf(id);
    let i = map.get(id);
    if (i === undefined) {
      i = this.mapped++;
      this.add(map, id, i);
      this.list[i] = id;
    }
    return i;
  }

  /**
   * The index of each of `ids` (in order, each passed through `transform` first when given),
   * adding the new ones: how a read maps another dictionary's indices (a range read on another
   * thread) onto this one.
   */
  internAll(ids: readonly string[], transform?: (id: string) => string): Int32Array {
    const out = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = this.intern(transform ? transform(ids[i]) : ids[i]);
    return out;
  }

  /** Adds an id the caller knows is not in the dictionary yet; returns its index. */
  appendNew(id: string): number {
    this.list.push(id);
    return this.list.length - 1;
  }

  get(id: string): number | undefined {
    this.index();
    return this.mapOf(id).get(id);
  }

  get ids(): readonly string[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /**
   * Brings the id → index map up to date a slice of ids per event-loop turn. A dictionary filled by
   * a reader (appendNew) has no map yet, and the first lookup would build it for every id at once:
   * most of a second for a million ids on a service's thread (Model.warm calls this instead).
   */
  async indexInTurns(perTurn = 1 << 14): Promise<void> {
    const first = this.mapped;
    // A lookup between slices may have indexed further (index()); ids appended meanwhile are left to the next one.
    await inSlicesPerTurn(this.list.length - first, perTurn, (from, to) => {
      for (let i = Math.max(this.mapped, first + from); i < first + to; i++) this.put(this.list[i], i);
      this.mapped = Math.max(this.mapped, first + to);
    });
  }

  /** Brings the map up to date with ids appended since it was last used. */
  private index(): void {
    const list = this.list;
    for (let i = this.mapped; i < list.length; i++) this.put(list[i], i);
    this.mapped = list.length;
  }

  private mapOf(id: string): Map<string, number> {
    const maps = this.maps;
    return maps.length === 1 ? maps[0] : maps[shardOf(id)];
  }

  private put(id: string, i: number): void {
    this.add(this.mapOf(id), id, i);
  }

  /** Adds id → i to `map`, which is mapOf(id). */
  private add(map: Map<string, number>, id: string, i: number): void {
    map.set(id, i);
    if (this.maps.length === 1 && map.size >= SPLIT_AT) this.split();
  }

  /** Moves the one map's ids into SHARDS maps (a few ms, once). */
  private split(): void {
    const shards = Array.from({ length: SHARDS }, () => new Map<string, number>());
    for (const [id, i] of this.maps[0]) shards[shardOf(id)].set(id, i);
    this.maps = shards;
  }
}
