/**
 * The track catalog: ids, artists, genre and tag lists, release dates and numeric features, in
 * columns. Read from CSV/TSV or Parquet, track-level or artist-level (tracks inherit their
 * artist's metadata), optionally with a second artist-level file.
 *
 * Missing numeric values are imputed in this order, and counted per column in the report:
 *   1. the artist-level value (artist file or artist-level catalog) — "inherited";
 *   2. the mean of the column over the artist's other tracks that have it — "artist mean";
 *   3. the column median over all tracks that have it — "median".
 * A column with no value at all is dropped (listed in `report.droppedColumns`).
 */
import { Dictionary } from './dictionary.js';
import { IngestError, quoteValue } from './errors.js';
import { parseListCell } from './catalog-lists.js';
import { parseReleaseDate } from './catalog-dates.js';
import { isMissingCell, readRawTable, rowFile, type RawTable, type RawTableOptions, type TextColumn } from './catalog-table.js';
import { errorMessage } from '../util/error-message.js';

/** Rows of tokens (genres or tags) per track over a vocabulary, with a count per entry. */
export interface TokenLists {
  readonly vocab: Dictionary;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** How often the token was listed for the track (≥ 1). */
  readonly counts: Float32Array;
}

/** A track's main genre: the genre listed most often for it (the first such), −1 without genres. */
export function mainGenre(genres: TokenLists, track: number): number {
  let best = -1;
  for (let p = genres.indptr[track]; p < genres.indptr[track + 1]; p++) if (best < 0 || genres.counts[p] > genres.counts[best]) best = p;
  return best >= 0 ? genres.indices[best] : -1;
}

export interface FeatureReport {
  name: string;
  /** Tracks with their own value. */
  present: number;
  /** Tracks whose value came from their artist's metadata. */
  inherited: number;
  imputedArtistMean: number;
  imputedMedian: number;
  /** Median used for imputation (over tracks with a value). */
  median: number;
}

export interface CatalogReport {
  file: string;
  artistFile?: string;
  /** The catalog itself is keyed by artist_id (no track_id column). */
  artistLevel: boolean;
  rows: number;
  tracks: number;
  artists: number;
  /** Rows whose track (or artist) id had already been seen; the first row wins. */
  duplicateRows: number;
  /** Tracks whose artist has no row in the artist-level metadata. */
  tracksWithoutArtistMetadata: number;
  features: FeatureReport[];
  releaseDateMissing: number;
  tracksWithoutGenres: number;
  tracksWithoutTags: number;
  /** Text columns that are not part of the catalog model (urls, free text). */
  ignoredColumns: string[];
  /** Numeric columns without a single value. */
  droppedColumns: string[];
}

export interface Catalog {
  readonly tracks: Dictionary;
  readonly artists: Dictionary;
  /** Artist display names aligned with `artists` ('' when unknown). */
  readonly artistNames: readonly string[];
  /** Artist index per track, −1 when unknown. */
  readonly trackArtist: Int32Array;
  readonly titles: readonly string[];
  readonly genres: TokenLists;
  readonly tags: TokenLists;
  /** Release date per track, epoch ms, NaN when unknown. */
  readonly releaseMs: Float64Array;
  /** Numeric feature names (duration_ms included when present). */
  readonly featureNames: readonly string[];
  /** tracks × featureNames.length, row-major, imputed (no NaN). */
  readonly features: Float32Array;
  readonly report: CatalogReport;
}

export interface ReadCatalogOptions extends RawTableOptions {
  /** A second, artist-level file (artist_id plus metadata) whose values the tracks inherit. */
  artists?: string;
  /**
   * Track → artist pairs (e.g. from the listening log) for an artist-level catalog: each listed
   * track becomes a catalog track inheriting its artist's row. Without it an artist-level catalog
   * has one item per artist (track id = artist id).
   */
  trackArtists?: { tracks: readonly string[]; artists: readonly string[] };
}

/** Read a catalog file (and an optional artist-level file). */
export async function readCatalog(file: string, opts: ReadCatalogOptions = {}): Promise<Catalog> {
  const main = await readRawTable(file, opts);
  // The artist file's format follows its own extension.
  const artistTable = opts.artists ? await readRawTable(opts.artists) : undefined;
  return catalogFromTables(main, artistTable, opts.trackArtists);
}

function textPosition(t: RawTable, col: TextColumn): number {
  return t.names.indexOf(col) + 1;
}

function where(t: RawTable, row: number, col: TextColumn): string {
  const w = t.where[row];
  const file = rowFile(t, row);
  return t.locate === 'line' ? `${file}:${w}:${textPosition(t, col)}` : `${file}:row ${w}:${textPosition(t, col)}`;
}

function idAt(t: RawTable, col: TextColumn, row: number): string {
  const id = t.text.get(col)![row].trim();
  if (id === '') throw new IngestError(`${where(t, row, col)}: empty ${col}`, rowFile(t, row), t.where[row]);
  return id;
}

/** Build the catalog from read tables; exported for callers that assemble tables themselves. */
export function catalogFromTables(main: RawTable, artistFile?: RawTable, trackArtists?: ReadCatalogOptions['trackArtists']): Catalog {
  const trackLevel = main.text.has('track_id');
  if (!trackLevel && !main.text.has('artist_id')) {
    throw new IngestError(`${main.file}: a catalog needs a track_id or an artist_id column (found: ${main.names.join(', ')})`, main.file);
  }
  if (!trackLevel && artistFile) throw new IngestError(`${main.file}: an artist-level catalog cannot take a second artist file`, main.file);
  const artistTable = trackLevel ? artistFile : main;
  if (artistTable && !artistTable.text.has('artist_id')) {
    throw new IngestError(`${artistTable.file}: artist metadata needs an artist_id column`, artistTable.file);
  }
  let duplicateRows = 0;

  // Artist-level rows by artist id.
  const artistRowOf = new Map<string, number>();
  if (artistTable) {
    for (let r = 0; r < artistTable.rows; r++) {
      const id = idAt(artistTable, 'artist_id', r);
      if (artistRowOf.has(id)) duplicateRows++;
      else artistRowOf.set(id, r);
    }
  }

  // Tracks, their main-table row (−1 for artist-level) and artist.
  const tracks = new Dictionary();
  const artists = new Dictionary();
  const trackRowList: number[] = [];
  const trackArtistList: number[] = [];
  const addTrack = (id: string, row: number, artist: string): void => {
    if (tracks.get(id) !== undefined) {
      duplicateRows++;
      return;
    }
    tracks.intern(id);
    trackRowList.push(row);
    trackArtistList.push(artist === '' ? -1 : artists.intern(artist));
  };
  if (trackLevel) {
    const artistCol = main.text.get('artist_id');
    const mapped = trackArtists ? new Map(trackArtists.tracks.map((t, i) => [t, trackArtists.artists[i]])) : undefined;
    for (let r = 0; r < main.rows; r++) {
      const id = idAt(main, 'track_id', r);
      addTrack(id, r, artistCol?.[r].trim() || mapped?.get(id) || '');
    }
  } else if (trackArtists) {
    if (trackArtists.tracks.length !== trackArtists.artists.length) {
      throw new RangeError(`readCatalog: trackArtists.tracks and .artists differ in length (${trackArtists.tracks.length}, ${trackArtists.artists.length})`);
    }
    for (let i = 0; i < trackArtists.tracks.length; i++) addTrack(trackArtists.tracks[i], -1, trackArtists.artists[i]);
  } else {
    for (let r = 0; r < main.rows; r++) {
      const id = idAt(main, 'artist_id', r);
      if (artistRowOf.get(id) === r) addTrack(id, -1, id);
    }
  }
  const n = tracks.size;
  const trackRow = Int32Array.from(trackRowList);
  const trackArtist = Int32Array.from(trackArtistList);
  const artistRow = new Int32Array(artists.size).fill(-1);
  for (let a = 0; a < artists.size; a++) artistRow[a] = artistRowOf.get(artists.ids[a]) ?? -1;
  let tracksWithoutArtistMetadata = 0;
  if (artistTable) for (let t = 0; t < n; t++) if (trackArtist[t] < 0 || artistRow[trackArtist[t]] < 0) tracksWithoutArtistMetadata++;
  const rowOfArtist = (t: number): number => (trackArtist[t] >= 0 ? artistRow[trackArtist[t]] : -1);
  const trackTable = trackLevel ? main : undefined;

  const genres = tokenLists('genres', n, trackTable, trackRow, artistTable, rowOfArtist);
  const tags = tokenLists('tags', n, trackTable, trackRow, artistTable, rowOfArtist);

  // Release dates: the track's own, else its artist's.
  const releaseMs = new Float64Array(n).fill(NaN);
  let releaseDateMissing = 0;
  for (let t = 0; t < n; t++) {
    let v = dateAt(trackTable, trackRow[t]);
    if (Number.isNaN(v)) v = dateAt(artistTable, rowOfArtist(t));
    releaseMs[t] = v;
    if (Number.isNaN(v)) releaseDateMissing++;
  }

  const titles: string[] = new Array(n);
  for (let t = 0; t < n; t++) {
    const own = trackTable && trackRow[t] >= 0 ? trackTable.text.get('title')?.[trackRow[t]] : undefined;
    const ar = rowOfArtist(t);
    titles[t] = (own ?? (!trackLevel && ar >= 0 ? (artistTable!.text.get('title') ?? artistTable!.text.get('name'))?.[ar] : '') ?? '').trim();
  }
  const artistNames = artists.ids.map((_, a) => (artistRow[a] >= 0 ? (artistTable?.text.get('name')?.[artistRow[a]] ?? '').trim() : ''));

  // When each item is an artist row itself, its values are its own, not inherited.
  const ownTable = trackLevel ? main : trackArtists ? undefined : main;
  const ownRow = trackLevel ? trackRow : Int32Array.from({ length: n }, (_, t) => rowOfArtist(t));
  const { names, matrix, reports, dropped } = numericFeatures(n, ownTable, ownRow, artistTable, rowOfArtist, trackArtist, artists.size);
  const ignored = [...new Set([...main.ignored, ...(artistFile?.ignored ?? [])])];
  return {
    tracks,
    artists,
    artistNames,
    trackArtist,
    titles,
    genres,
    tags,
    releaseMs,
    featureNames: names,
    features: matrix,
    report: {
      file: main.file,
      artistFile: artistFile?.file,
      artistLevel: !trackLevel,
      rows: main.rows,
      tracks: n,
      artists: artists.size,
      duplicateRows,
      tracksWithoutArtistMetadata,
      features: reports,
      releaseDateMissing,
      tracksWithoutGenres: emptyRows(genres),
      tracksWithoutTags: emptyRows(tags),
      ignoredColumns: ignored,
      droppedColumns: dropped,
    },
  };
}

function emptyRows(l: TokenLists): number {
  let c = 0;
  for (let t = 0; t + 1 < l.indptr.length; t++) if (l.indptr[t + 1] === l.indptr[t]) c++;
  return c;
}

function dateAt(table: RawTable | undefined, row: number): number {
  if (!table || row < 0) return NaN;
  const col = table.text.get('release_date');
  if (!col) return NaN;
  const cell = col[row];
  if (isMissingCell(cell)) return NaN;
  const v = parseReleaseDate(cell);
  if (Number.isNaN(v)) {
    throw new IngestError(`${where(table, row, 'release_date')}: column 'release_date': ${quoteValue(cell)} is not a date`, rowFile(table, row), table.where[row]);
  }
  return v;
}

/** Token rows: the track's own list followed by its artist's list (both counted). */
function tokenLists(
  col: 'genres' | 'tags',
  n: number,
  trackTable: RawTable | undefined,
  trackRow: Int32Array,
  artistTable: RawTable | undefined,
  rowOfArtist: (t: number) => number,
): TokenLists {
  const vocab = new Dictionary();
  const indptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const cnt: number[] = [];
  const cache = new Map<number, string[]>(); // artist rows are shared by many tracks
  const cellTokens = (table: RawTable, row: number): string[] => {
    try {
      return parseListCell(table.text.get(col)![row]);
    } catch (err) {
      throw new IngestError(`${where(table, row, col)}: column '${col}': ${errorMessage(err)}`, rowFile(table, row), table.where[row]);
    }
  };
  const counts = new Map<number, number>();
  for (let t = 0; t < n; t++) {
    counts.clear();
    if (trackTable?.text.has(col) && trackRow[t] >= 0) for (const tok of cellTokens(trackTable, trackRow[t])) bump(counts, vocab.intern(tok));
    const ar = rowOfArtist(t);
    if (artistTable?.text.has(col) && ar >= 0) {
      let toks = cache.get(ar);
      if (!toks) cache.set(ar, (toks = cellTokens(artistTable, ar)));
      for (const tok of toks) bump(counts, vocab.intern(tok));
    }
    const sorted = [...counts.keys()].sort((a, b) => a - b);
    for (const k of sorted) {
      idx.push(k);
      cnt.push(counts.get(k)!);
    }
    indptr[t + 1] = idx.length;
  }
  return { vocab, indptr, indices: Int32Array.from(idx), counts: Float32Array.from(cnt) };
}

function bump(m: Map<number, number>, k: number): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function numericFeatures(
  n: number,
  trackTable: RawTable | undefined,
  trackRow: Int32Array,
  artistTable: RawTable | undefined,
  rowOfArtist: (t: number) => number,
  trackArtist: Int32Array,
  nArtists: number,
): { names: string[]; matrix: Float32Array; reports: FeatureReport[]; dropped: string[] } {
  const all = [...(trackTable?.numeric.keys() ?? [])];
  for (const k of artistTable?.numeric.keys() ?? []) if (!all.includes(k)) all.push(k);
  const columns: Float64Array[] = [];
  const names: string[] = [];
  const reports: FeatureReport[] = [];
  const dropped: string[] = [];
  const sum = new Float64Array(nArtists);
  const count = new Int32Array(nArtists);
  for (const name of all) {
    const own = trackTable?.numeric.get(name);
    const inheritedCol = artistTable?.numeric.get(name);
    const v = new Float64Array(n).fill(NaN);
    let present = 0;
    let inherited = 0;
    for (let t = 0; t < n; t++) {
      const x = own && trackRow[t] >= 0 ? own[trackRow[t]] : NaN;
      if (!Number.isNaN(x)) {
        v[t] = x;
        present++;
        continue;
      }
      const ar = rowOfArtist(t);
      const y = inheritedCol && ar >= 0 ? inheritedCol[ar] : NaN;
      if (!Number.isNaN(y)) {
        v[t] = y;
        inherited++;
      }
    }
    if (present + inherited === 0) {
      dropped.push(name);
      continue;
    }
    sum.fill(0);
    count.fill(0);
    const known = new Float64Array(present + inherited);
    let w = 0;
    for (let t = 0; t < n; t++) {
      if (Number.isNaN(v[t])) continue;
      known[w++] = v[t];
      const a = trackArtist[t];
      if (a >= 0) {
        sum[a] += v[t];
        count[a]++;
      }
    }
    const med = median(known);
    let imputedArtistMean = 0;
    let imputedMedian = 0;
    for (let t = 0; t < n; t++) {
      if (!Number.isNaN(v[t])) continue;
      const a = trackArtist[t];
      if (a >= 0 && count[a] > 0) {
        v[t] = sum[a] / count[a];
        imputedArtistMean++;
      } else {
        v[t] = med;
        imputedMedian++;
      }
    }
    columns.push(v);
    names.push(name);
    reports.push({ name, present, inherited, imputedArtistMean, imputedMedian, median: med });
  }
  const F = names.length;
  const matrix = new Float32Array(n * F);
  for (let f = 0; f < F; f++) {
    const c = columns[f];
    for (let t = 0; t < n; t++) matrix[t * F + f] = c[t];
  }
  return { names, matrix, reports, dropped };
}
