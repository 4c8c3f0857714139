/**
 * Event kind names → EVENT_CODE, matched on bytes (ASCII case-insensitive, spaces trimmed) without
 * decoding. Logs name kinds their own way (`stream`, `skipped`, `thumbs_up`): aliases map such
 * names onto the engine's kinds, so they are not all kept as `other`.
 */
import { EVENT_CODE, EVENT_KINDS, type EventKind } from '../types.js';

/** Returned for a name that is not a kind nor an alias; stored as `other` and reported. */
export const UNKNOWN_KIND = 255;
export const PLAY = EVENT_CODE.play;
export const OTHER = EVENT_CODE.other;

const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

/** The kind names a reader recognises: the engine's own plus aliases. */
export class KindNames {
  private readonly names: Uint8Array[];
  private readonly codes: number[];
  private readonly byName: Map<string, number>;

  /** `aliases`: other names of kinds in the file, e.g. `{ stream: 'play', skipped: 'skip' }`. */
  constructor(aliases: Readonly<Record<string, EventKind>> = {}) {
    this.byName = new Map(EVENT_KINDS.map((k, i) => [k, i]));
    for (const [alias, kind] of Object.entries(aliases)) {
      const name = alias.trim().toLowerCase();
      if (!(EVENT_KINDS as readonly string[]).includes(kind)) throw new RangeError(`event alias '${alias}': '${kind}' is not an event kind (${EVENT_KINDS.join(', ')})`);
      // Names are compared as ASCII bytes; a non-ASCII alias could never match.
      if (name === '' || !/^[\x20-\x7e]+$/.test(name)) throw new RangeError(`event alias '${alias}': names must be non-empty printable ASCII`);
      this.byName.set(name, EVENT_CODE[kind]);
    }
    this.names = [...this.byName.keys()].map(asciiBytes);
    this.codes = [...this.byName.values()];
  }

  /** Kind code of the name in bytes [s, e), or UNKNOWN_KIND. */
  fromBytes(b: Uint8Array, s: number, e: number): number {
    while (s < e && b[s] === 32) s++;
    while (e > s && b[e - 1] === 32) e--;
    const len = e - s;
    for (let k = 0; k < this.names.length; k++) {
      const name = this.names[k];
      if (name.length !== len) continue;
      let i = 0;
      for (; i < len; i++) {
        let c = b[s + i];
        if (c >= 65 && c <= 90) c += 32; // names are lowercase ASCII
        if (c !== name[i]) break;
      }
      if (i === len) return this.codes[k];
    }
    return UNKNOWN_KIND;
  }

  /** Kind code of a name, or UNKNOWN_KIND. */
  fromName(name: string): number {
    return this.byName.get(name.trim().toLowerCase()) ?? UNKNOWN_KIND;
  }
}
