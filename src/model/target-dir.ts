/**
 * Where a model may be saved. Saving replaces the directory whole (written beside it, then
 * swapped in), so a directory holding anything but a model would lose it: `train --out ~/data`
 * emptied the directory of every file in it (its input too, when it was there), and
 * `--out notes.txt` replaced a file with a model. A target is accepted when it does not exist, is
 * an empty directory, or holds a mixtape model (a manifest naming the model format, of any
 * version) and nothing else.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MODEL_FORMAT } from './format.js';
import { INDEX_FILE, INDEX_META_FILE } from '../retrieve/index-files.js';

export async function checkModelTarget(dir: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch {
    return; // absent (or unreadable: the save itself says why)
  }
  if (!stat.isDirectory()) throw new Error(`${dir}: is a file, not a model directory; a model is saved as a directory of its own: choose a new path`);
  const names = (await fs.readdir(dir)).sort();
  if (names.length === 0) return;
  const modelFiles = await modelFilesOf(path.join(dir, 'manifest.json'));
  if (!modelFiles) throw new Error(`${dir}: holds files that are not a mixtape model (${shown(names)}); saving a model replaces its directory whole, so choose a new or empty directory`);
  // A model directory with files put beside the model (notes, an output) would lose them too.
  // Temporary siblings of the model's own files (an index build that was killed) go with it.
  const others = names.filter((n) => !modelFiles.has(n) && !modelFiles.has(n.match(TEMP_SIBLING)?.[1] ?? ''));
  if (others.length > 0) throw new Error(`${dir}: holds a mixtape model and other files (${shown(others)}); saving a model replaces its directory whole, so move them out or choose a new directory`);
}

/** `.<name>.tmp-<pid>-<hex>`: a temporary file being written in place of `<name>`. */
const TEMP_SIBLING = /^\.(.+)\.tmp-\d+-[0-9a-f]{8}$/;

function shown(names: string[]): string {
  return names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} entries)` : '');
}

/**
 * The names a mixtape model's directory holds, from its manifest (the files it lists, itself and
 * an approximate-retrieval index built for it), or undefined when `file` is not a model manifest.
 */
async function modelFilesOf(file: string): Promise<Set<string> | undefined> {
  let manifest: { format?: unknown; files?: unknown };
  try {
    manifest = JSON.parse(await fs.readFile(file, 'utf8')) as { format?: unknown; files?: unknown };
  } catch {
    return undefined;
  }
  if (manifest?.format !== MODEL_FORMAT) return undefined;
  const listed = manifest.files && typeof manifest.files === 'object' ? Object.keys(manifest.files) : [];
  return new Set(['manifest.json', INDEX_FILE, INDEX_META_FILE, ...listed]);
}
