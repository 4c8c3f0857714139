/** Ingest validation counts of a written world against the corruption injected into it. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readEvents } from '../../data/index.js';
import { CORRUPT_KINDS, generateWorld, writeWorld } from '../../generate/index.js';
import { computeSignals } from '../../signals/index.js';
import { worldOptions, type StudyWorld } from './common.js';

export interface CorruptionFigures {
  injected: Record<string, number>;
  reported: Record<string, number>;
  /** Rules whose reported count differs from the injected count of the same name. */
  mismatched: string[];
}

/**
 * Writes a world with corrupt rows to a temporary folder, reads events.csv back with skipBad as of
 * the world's end, and compares the report's validation counts with truth.corrupt.
 */
export async function corruptionStudy(o: { world: StudyWorld; corruptRows: number }): Promise<CorruptionFigures> {
  const world = generateWorld(worldOptions(o.world, { corruptRows: o.corruptRows }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mixtape-corrupt-'));
  try {
    await writeWorld(world, dir);
    const { log, report: ingest } = await readEvents(path.join(dir, 'events.csv'), { asOf: world.endMs, skipBad: true });
    const { report } = computeSignals(log, { asOf: world.endMs, validation: ingest.validation });
    const reported = report.validation as Record<string, number>;
    const injected: Record<string, number> = { ...world.truth.corrupt };
    const mismatched = CORRUPT_KINDS.filter((kind) => reported[kind] !== injected[kind]);
    return { injected, reported, mismatched };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
