/**
 * Typed arrays for per-event steps on large logs. With 4 KiB pages every 4 KiB first touched takes
 * a page fault (on a virtual machine, an expensive one): the read of 100 M events took about
 * 800,000 of them filling its columns. And a sort or grouping pass writes each entry to a
 * scattered place of a fresh array, where nearly every write then needs a page walk too. Large
 * arrays made here are advised onto 2 MiB pages before they are written.
 * Set MIXTAPE_HUGE_PAGES=0 to turn the advice off (it is advice only: results are the same).
 */
import { adviseHugePages } from '../native/index.js';

type LargeArrayCtor<T> = new (length: number) => T;

/** Arrays below this size are left alone: they hold at most a few huge pages. */
const ADVISE_MIN_BYTES = 8 << 20;

const enabled = process.env.MIXTAPE_HUGE_PAGES !== '0';

/** A zeroed typed array of `length` elements, on huge pages when large enough and allowed. */
export function largeArray<T extends ArrayBufferView>(Ctor: LargeArrayCtor<T>, length: number): T {
  return adviseLarge(new Ctor(length));
}

/** `a`, advised onto huge pages when large enough and allowed; call it before `a` is written. */
export function adviseLarge<T extends ArrayBufferView>(a: T): T {
  if (enabled && a.byteLength >= ADVISE_MIN_BYTES) adviseHugePages(a);
  return a;
}
