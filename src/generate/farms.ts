/**
 * Bot farm plan: which accounts belong to which farm, its style, home region and device, the
 * week it starts streaming, and its target tracks (drawn from the less popular half of the back
 * catalog, never shared between farms while there are enough).
 */
import type { SyntheticCatalog } from './catalog.js';
import type { FarmStyle, ResolvedOptions } from './options.js';
import type { Population } from './population.js';
import { Rng } from './rng.js';
import { STREAM } from './streams.js';
import { DEVICES, REGIONS } from './vocab.js';

export interface FarmPlan {
  readonly style: FarmStyle;
  readonly region: number;
  readonly device: number;
  readonly startWeek: number;
  /** UTC hour at which a shift farm's day begins. */
  readonly shiftStartHour: number;
  readonly targets: Int32Array;
  readonly accounts: Int32Array;
}

/** Plans the farms and records each bot's farm, region and device in the population. */
export function planFarms(o: ResolvedOptions, c: SyntheticCatalog, pop: Population): FarmPlan[] {
  const bots = pop.count - pop.genuine;
  if (bots === 0) return [];
  const rng = new Rng(o.seed, STREAM.farms);
  const farms = Math.min(o.bots.farms, bots);

  // Low-popularity pool: back-catalog tracks below the median popularity, in random order.
  const back: number[] = [];
  for (let t = 0; t < c.tracks.size; t++) if (c.releaseWeek[t] < 0) back.push(t);
  back.sort((a, b) => c.popularity[a] - c.popularity[b] || a - b);
  const pool = Int32Array.from(back.slice(0, Math.max(1, Math.ceil(back.length / 2))));
  rng.shuffle(pool);

  const plans: FarmPlan[] = [];
  let next = 0;
  for (let f = 0; f < farms; f++) {
    const size = Math.floor(bots / farms) + (f < bots % farms ? 1 : 0);
    const accounts = new Int32Array(size);
    for (let i = 0; i < size; i++) accounts[i] = pop.genuine + next++;
    const targets = new Int32Array(o.bots.targetsPerFarm);
    for (let i = 0; i < targets.length; i++) targets[i] = pool[(f * targets.length + i) % pool.length];
    const plan: FarmPlan = {
      style: o.bots.styles[f % o.bots.styles.length],
      region: rng.int(REGIONS.length),
      device: DEVICES.indexOf(rng.chance(0.5) ? 'desktop' : 'web'), // farms run on computers
      startWeek: rng.int(Math.max(1, Math.ceil(o.weeks / 2))),
      shiftStartHour: rng.int(24),
      targets,
      accounts,
    };
    for (const a of accounts) {
      pop.farm[a] = f;
      pop.region[a] = plan.region;
      pop.device[a] = plan.device;
    }
    plans.push(plan);
  }
  return plans;
}
