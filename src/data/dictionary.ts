import type { IdDictionary } from '../types.js';
import type { Utf8Strings } from './utf8-vector.js';
import { inSlicesPerTurn } from '../util/turns.js';

/**
 * Dense string ↔ index dictionary; indices are assigned in first-seen order.
 *
 * The id list is the source of truth and the id → index map is an index over it, extended on
 * demand: readers that already know an id is new (`appendNew`) skip the map, which for millions
 * of ids costs more than reading them, and a log whose ids are never looked up by name never
 * builds it.
 */
export class Dictionary implements IdDictionary {
  private readonly map = new Map<string, number>();
  private readonly list: string[] = [];
  /** list[0, mapped) are in the map. */
  private mapped = 0;

  static from(ids: Iterable<string>): Dictionary {
    const d = new Dictionary();
    for (const id of ids) d.intern(id);
    return d;
  }

  /**
   * `from` over ids laid out as UTF-8 (as a worker thread hands them back), a slice of ids per
   * event-loop turn: a million ids take most of a second to decode and index, and a service that
   * loads a model meanwhile keeps answering between slices.
   */
  static async fromUtf8InTurns(ids: Utf8Strings, perTurn = 1 << 14): Promise<Dictionary> {
    const d = new Dictionary();
    const text = Buffer.from(ids.bytes.buffer, ids.bytes.byteOffset, ids.bytes.byteLength);
    const { offsets } = ids;
    await inSlicesPerTurn(offsets.length - 1, perTurn, (from, to) => {
      for (let i = from; i < to; i++) d.intern(text.toString('utf8', offsets[i], offsets[i + 1]));
    });
    return d;
  }

  /** Index of id, adding it when new. */
  intern(id: string): number {
    this.index();
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.list.length;
      this.map.set(id, i);
      this.list.push(id);
      this.mapped++;
    }
    return i;
  }

  /** Adds an id the caller knows is not in the dictionary yet; returns its index. */
  appendNew(id: string): number {
    this.list.push(id);
    return this.list.length - 1;
  }

  get(id: string): number | undefined {
    this.index();
    return this.map.get(id);
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
      for (let i = Math.max(this.mapped, first + from); i < first + to; i++) this.map.set(this.list[i], i);
      this.mapped = Math.max(this.mapped, first + to);
    });
  }

  /** Brings the map up to date with ids appended since it was last used. */
  private index(): void {
    const list = this.list;
    for (let i = this.mapped; i < list.length; i++) this.map.set(list[i], i);
    this.mapped = list.length;
  }
}
