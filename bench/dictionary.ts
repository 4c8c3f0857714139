/**
 * The id dictionary at a model's scale: interning ids one by one (total, and the longest single
 * insert, which is where a JS Map's rehash shows), a dictionary's own copy rebuilt by `from` and
 * copied by `copyOf` (as a trained model takes it), building from UTF-8 a slice per turn as a
 * model load does (the longest stall of the event loop, from a 1 ms timer), and random lookups
 * of known ids against a plain Map holding the same ids, in the same run. Ids are flat strings
 * `user-N` with N scrambled; prints JSON.
 *
 *   tsx bench/dictionary.ts [--ids 1000000] [--lookups 2000000] [--rounds 5]
 */
import { withLoopStall } from '../src/bench/loop-stall.js';
import { summarize } from '../src/bench/stats.js';
import { Dictionary } from '../src/data/dictionary.js';
import { utf8StringsInTurns } from '../src/data/utf8-vector.js';
import { BenchFlags } from './args.js';

const flags = BenchFlags.parse({ ids: 'value', lookups: 'value', rounds: 'value' });
const n = flags.int('ids', 1_000_000);
const lookups = flags.int('lookups', 2_000_000);
const rounds = flags.int('rounds', 5);

// Through a Buffer so each id is one flat string, as ids read from a file are.
const ids = Array.from({ length: n }, (_, i) => Buffer.from(`user-${Math.imul(i, 2654435761) >>> 0}`).toString());
const probe = Array.from({ length: lookups }, (_, i) => ids[(Math.imul(i, 7919) >>> 0) % n]);

let longestInsertMs = 0;
let started = performance.now();
const interned = new Dictionary();
for (const id of ids) {
  const t = performance.now();
  interned.intern(id);
  longestInsertMs = Math.max(longestInsertMs, performance.now() - t);
}
const internSeconds = (performance.now() - started) / 1000;

const map = new Map<string, number>();
started = performance.now();
let longestMapInsertMs = 0;
for (let i = 0; i < n; i++) {
  const t = performance.now();
  map.set(ids[i], i);
  longestMapInsertMs = Math.max(longestMapInsertMs, performance.now() - t);
}
const mapSeconds = (performance.now() - started) / 1000;

// A model's own dictionary, as train() takes it: from() re-interns every id, copyOf() copies the list.
started = performance.now();
const rebuilt = Dictionary.from(interned.ids);
const fromSeconds = (performance.now() - started) / 1000;
started = performance.now();
const copied = Dictionary.copyOf(interned);
const copyOfSeconds = (performance.now() - started) / 1000;
if (rebuilt.size !== n || copied.size !== n) throw new Error(`from/copyOf: ${rebuilt.size} and ${copied.size} ids, want ${n}`);

const utf8 = await utf8StringsInTurns(ids);
const built = await withLoopStall(() => Dictionary.fromUtf8InTurns(utf8));
if (built.result.size !== n) throw new Error(`fromUtf8InTurns: ${built.result.size} ids, want ${n}`);

/** Nanoseconds per lookup over the whole probe. */
function perLookup(get: (id: string) => number | undefined): number {
  let sum = 0;
  const t = performance.now();
  for (const id of probe) sum += get(id)!;
  if (!(sum >= 0)) throw new Error('a known id was not found');
  return ((performance.now() - t) * 1e6) / probe.length;
}
// Rounds alternate between the two, so both see the same state of the machine.
const dictSamples: number[] = [];
const mapSamples: number[] = [];
for (let r = 0; r < rounds; r++) {
  dictSamples.push(perLookup((id) => interned.get(id)));
  mapSamples.push(perLookup((id) => map.get(id)));
}
const dictGet = summarize(dictSamples);
const mapGet = summarize(mapSamples);

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
process.stdout.write(
  `${JSON.stringify(
    {
      ids: n,
      lookups,
      rounds,
      intern_seconds: round(internSeconds, 3),
      longest_intern_ms: round(longestInsertMs),
      map_set_seconds: round(mapSeconds, 3),
      longest_map_set_ms: round(longestMapInsertMs),
      from_seconds: round(fromSeconds, 3),
      copy_of_seconds: round(copyOfSeconds, 4),
      from_utf8_in_turns_seconds: round(built.seconds, 3),
      from_utf8_in_turns_stall_ms: round(built.longestStallMs),
      get_ns: round(dictGet.median),
      map_get_ns: round(mapGet.median),
      get_vs_map: round(dictGet.median / mapGet.median, 2),
    },
    null,
    2,
  )}\n`,
);
