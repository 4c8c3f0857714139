/** Everything a simulation step reads, plus the buffer it appends to. */
import type { SyntheticCatalog } from './catalog.js';
import type { EventBuffer } from './event-buffer.js';
import type { ResolvedOptions } from './options.js';
import type { Population } from './population.js';
import type { SamplingTables } from './tables.js';

export interface SimContext {
  readonly o: ResolvedOptions;
  readonly catalog: SyntheticCatalog;
  readonly population: Population;
  readonly tables: SamplingTables;
  /** Start of week 0 and end of the last week (exclusive), epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
  readonly events: EventBuffer;
}
