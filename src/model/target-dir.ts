/**
 * Where a model may be saved. Saving replaces the directory whole (written beside it, then
 * swapped in), so a directory holding anything but a model would lose it: `train --out ~/data`
 * emptied the directory of every file in it (its input too, when it was there), and
 * `--out notes.txt` replaced a file with a model. A target is accepted when it does not exist, is an empty directory, or holds a
 * mixtape model (a manifest naming the model format, of any version).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MODEL_FORMAT } from './format.js';

export async function checkModelTarget(dir: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch {
    return; // absent (or unreadable: the save itself says why)
  }
  if (!stat.isDirectory()) throw new Error(`${dir}: is a file, not a model directory; a model is saved as a directory of its own: choose a new path`);
  const names = (await fs.readdir(dir)).sort();
  if (names.length === 0 || (await isModelManifest(path.join(dir, 'manifest.json')))) return;
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} entries)` : '');
  throw new Error(`${dir}: holds files that are not a mixtape model (${shown}); saving a model replaces its directory whole, so choose a new or empty directory`);
}

async function isModelManifest(file: string): Promise<boolean> {
  try {
    return (JSON.parse(await fs.readFile(file, 'utf8')) as { format?: unknown })?.format === MODEL_FORMAT;
  } catch {
    return false;
  }
}
