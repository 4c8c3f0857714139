import type { IdDictionary } from '../types.js';

/** Dense string ↔ index dictionary; indices are assigned in first-seen order. */
export class Dictionary implements IdDictionary {
  private readonly map = new Map<string, number>();
  private readonly list: string[] = [];

  static from(ids: Iterable<string>): Dictionary {
    const d = new Dictionary();
    for (const id of ids) d.intern(id);
    return d;
  }

  /** Index of id, adding it when new. */
  intern(id: string): number {
    let i = this.map.get(id);
    if (i === undefined) {
      i = this.list.length;
      this.map.set(id, i);
      this.list.push(id);
    }
    return i;
  }

  get(id: string): number | undefined {
    return this.map.get(id);
  }

  get ids(): readonly string[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }
}
