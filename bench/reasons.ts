/**
 * How a weekly playlist file's reasons spread over each listener's history, and how similar the
 * named tracks are to the slots they explain. Reads the weekly job's CSV output, the model it was
 * made with, and the catalog whose titles the reasons name (a title and artist that occur twice in
 * the catalog are skipped). Run it on the output of two builds to compare them.
 *
 *   npx tsx bench/reasons.ts --model m --playlists week.csv --catalog w/catalog.csv
 *
 * prints JSON: playlists with at least 5 "because you played" slots, the mean number of distinct
 * first-named tracks per playlist, the mean share of those slots that name the most cited one, and
 * the mean factor cosine of the first- and second-named tracks to the slot's track.
 */
import { readFile } from 'node:fs/promises';
import { Model } from '../src/model/model.js';
import { readCatalog } from '../src/data/catalog.js';
import { BenchFlags } from './args.js';

const flags = BenchFlags.parse({ model: 'value', playlists: 'value', catalog: 'value' });
const need = (name: string): string => {
  const v = flags.text(name);
  if (!v) throw new Error(`--${name} is required`);
  return v;
};
const model = await Model.load(need('model'));
const catalog = await readCatalog(need('catalog'));
const lines = (await readFile(need('playlists'), 'utf8')).trim().split('\n');

const k = model.factors;
const V = model.data.itemFactors;
const norm = (i: number): number => Math.hypot(...V.subarray(i * k, (i + 1) * k));
const cosine = (a: string, b: string): number => {
  const i = model.data.items.get(a)!;
  const j = model.data.items.get(b)!;
  let s = 0;
  for (let f = 0; f < k; f++) s += V[i * k + f] * V[j * k + f];
  return s / (norm(i) * norm(j));
};

// "Title by artist" → track id, from the catalog; names that occur twice are left out.
const byName = new Map<string, string | null>();
for (let t = 0; t < catalog.tracks.size; t++) {
  const a = catalog.trackArtist[t];
  const key = `${catalog.titles[t]} by ${a >= 0 ? catalog.artists.ids[a] : ''}`;
  byName.set(key, byName.has(key) ? null : catalog.tracks.ids[t]);
}
const named = (s: string | undefined): string | undefined => {
  const id = s === undefined ? undefined : byName.get(s);
  return id && model.data.items.get(id) !== undefined ? id : undefined;
};

const header = lines[0].split(',');
const col = (name: string): number => header.indexOf(name);
const [cUser, cTrack, cReason] = [col('user_id'), col('track_id'), col('reason')];
const reasonRe = /^because you played (.+? by \S+?)(?: and (.+ by \S+))?$/;
const firstByUser = new Map<string, string[]>();
let sumA = 0;
let sumB = 0;
let nA = 0;
let nB = 0;
for (const line of lines.slice(1)) {
  const f = line.split(',');
  const reason = f.slice(cReason).join(',');
  const m = reasonRe.exec(reason);
  if (!m) continue;
  const list = firstByUser.get(f[cUser]) ?? [];
  list.push(m[1]);
  firstByUser.set(f[cUser], list);
  const a = named(m[1]);
  const b = named(m[2]);
  if (a) (sumA += cosine(f[cTrack], a)), nA++;
  if (b) (sumB += cosine(f[cTrack], b)), nB++;
}
let playlists = 0;
let distinct = 0;
let topShare = 0;
for (const firsts of firstByUser.values()) {
  if (firsts.length < 5) continue;
  const counts = new Map<string, number>();
  for (const x of firsts) counts.set(x, (counts.get(x) ?? 0) + 1);
  playlists++;
  distinct += counts.size;
  topShare += Math.max(...counts.values()) / firsts.length;
}
const r4 = (x: number): number => Number(x.toFixed(4));
process.stdout.write(
  `${JSON.stringify({ playlists, distinctFirstNamed: r4(distinct / playlists), mostCitedShare: r4(topShare / playlists), cosineFirst: r4(sumA / nA), cosineSecond: r4(sumB / nB), namedFirst: nA }, null, 2)}\n`,
);
