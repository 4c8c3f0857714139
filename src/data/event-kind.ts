/** Event kind names → EVENT_CODE, matched on bytes (ASCII case-insensitive, spaces trimmed) without decoding. */
import { EVENT_CODE, EVENT_KINDS } from '../types.js';

/** Returned for a name that is not one of EVENT_KINDS; stored as `other` and reported. */
export const UNKNOWN_KIND = 255;
export const PLAY = EVENT_CODE.play;
export const OTHER = EVENT_CODE.other;

const NAMES = EVENT_KINDS.map((k) => Uint8Array.from(k, (ch) => ch.charCodeAt(0)));

/** Kind code of the name in bytes [s, e), or UNKNOWN_KIND. */
export function kindFromBytes(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 32) s++;
  while (e > s && b[e - 1] === 32) e--;
  const len = e - s;
  for (let k = 0; k < NAMES.length; k++) {
    const name = NAMES[k];
    if (name.length !== len) continue;
    let i = 0;
    for (; i < len; i++) {
      let c = b[s + i];
      if (c >= 65 && c <= 90) c += 32; // names are lowercase ASCII
      if (c !== name[i]) break;
    }
    if (i === len) return k;
  }
  return UNKNOWN_KIND;
}

/** Kind code of a name, or UNKNOWN_KIND. */
export function kindFromName(name: string): number {
  const lower = name.trim().toLowerCase();
  const k = (EVENT_KINDS as readonly string[]).indexOf(lower);
  return k < 0 ? UNKNOWN_KIND : k;
}
