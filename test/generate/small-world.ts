/** A small world shared by the generator tests (fast to build, every feature switched on). */
import { type GenerateOptions, generateWorld, type World } from '../../src/generate/index.js';

export const SMALL: GenerateOptions = {
  users: 400,
  tracks: 3000,
  weeks: 4,
  seed: 7,
  heavyShare: 0.02,
  newUsersPerWeek: 20,
  newReleasesPerWeek: 30,
  corruptRows: 40,
  drift: 0.5,
  bots: { share: 0.05, farms: 3, playsPerDay: 60 },
};

let cached: World | undefined;
export function smallWorld(): World {
  cached ??= generateWorld(SMALL);
  return cached;
}
